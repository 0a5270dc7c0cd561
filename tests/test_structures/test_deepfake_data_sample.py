# Copyright (c) laanet contributors. All rights reserved.
import io
import pickle
from multiprocessing.reduction import ForkingPickler

import numpy as np
import pytest
import torch
from mmengine.structures import PixelData

from laanet.structures import DeepfakeDataSample, format_label, format_score


def test_format_label_types():
    assert format_label(1).tolist() == [1]
    assert format_label(np.int64(0)).tolist() == [0]
    assert format_label(np.array(1)).tolist() == [1]
    assert format_label([0, 1]).tolist() == [0, 1]
    assert format_label(torch.tensor(1)).dtype == torch.long
    with pytest.raises(TypeError):
        format_label('fake')
    with pytest.raises(ValueError, match='1-D'):
        format_label(torch.zeros(2, 2))


def test_format_score_types():
    assert format_score(0.25).tolist() == [0.25]
    assert format_score(np.array([0.5])).dtype == torch.float32
    assert format_score(torch.tensor(0.5, dtype=torch.float64)).shape == (1, )


def test_labels_and_scores():
    sample = DeepfakeDataSample().set_gt_label(1).set_pred_score(0.8)
    sample.set_pred_logit(1.3863).set_pred_label(1)
    assert sample.gt_label.tolist() == [1]
    assert sample.pred_score.item() == pytest.approx(0.8)
    assert sample.pred_logit.item() == pytest.approx(1.3863)
    assert sample.pred_label.dtype == torch.long
    with pytest.raises(ValueError, match='probability'):
        DeepfakeDataSample().set_pred_score(2.5)


def test_pixel_fields():
    sample = DeepfakeDataSample()
    sample.set_gt_heatmap(np.ones((8, 8), dtype=np.float32))
    sample.set_gt_consistency(torch.zeros(1, 8, 8))
    sample.set_gt_mask(torch.full((1, 8, 8), 0.5))
    sample.set_pred_heatmap(torch.rand(1, 8, 8))
    assert isinstance(sample.gt_fields, PixelData)
    assert sample.gt_fields.heatmap.shape == (1, 8, 8)
    assert sample.gt_fields.consistency.sum() == 0
    assert sample.gt_fields.mask.mean().item() == pytest.approx(0.5)
    assert sample.pred_fields.heatmap.shape == (1, 8, 8)
    with pytest.raises(ValueError, match='h×w'):
        sample.set_gt_heatmap(torch.zeros(2, 1, 8, 8))
    with pytest.raises(TypeError):
        sample.set_gt_mask([[0.0]])
    del sample.gt_fields
    assert 'gt_fields' not in sample


def test_metainfo_and_pickling_through_forking_pickler():
    sample = DeepfakeDataSample(metainfo=dict(video_id='Deepfakes/000_003',
                                              frame_idx=7))
    sample.set_gt_label(0).set_gt_heatmap(torch.zeros(1, 4, 4))
    buf = io.BytesIO()
    ForkingPickler(buf, pickle.HIGHEST_PROTOCOL).dump(sample)
    restored = pickle.loads(buf.getvalue())
    assert isinstance(restored, DeepfakeDataSample)
    assert restored.video_id == 'Deepfakes/000_003'
    assert restored.frame_idx == 7
    assert torch.equal(restored.gt_label, torch.tensor([0]))
    assert restored.gt_fields.heatmap.shape == (1, 4, 4)
    # The original object is untouched by pickling.
    assert isinstance(sample.gt_label, torch.Tensor)
