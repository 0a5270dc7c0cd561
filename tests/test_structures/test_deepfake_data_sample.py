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
    sample.set_pred_logit(1.3863)
    assert sample.gt_label.tolist() == [1]
    assert sample.gt_label.dtype == torch.long
    assert sample.pred_score.item() == pytest.approx(0.8)
    assert sample.pred_logit.item() == pytest.approx(1.3863)
    with pytest.raises(ValueError, match='probability'):
        DeepfakeDataSample().set_pred_score(2.5)


def test_pixel_fields():
    sample = DeepfakeDataSample()
    sample.set_gt_heatmap(np.ones((8, 8), dtype=np.float32))
    sample.set_gt_field('consistency', torch.zeros(1, 8, 8))
    sample.set_gt_field('boundary', torch.full((1, 8, 8), 0.5))
    sample.set_pred_heatmap(torch.rand(1, 8, 8))
    assert isinstance(sample.gt_fields, PixelData)
    assert sample.gt_fields.heatmap.shape == (1, 8, 8)
    assert sample.gt_fields.consistency.sum() == 0
    assert sample.gt_fields.boundary.mean().item() == pytest.approx(0.5)
    assert sample.pred_fields.heatmap.shape == (1, 8, 8)
    with pytest.raises(ValueError, match='h×w'):
        sample.set_gt_heatmap(torch.zeros(2, 1, 8, 8))
    with pytest.raises(TypeError):
        sample.set_gt_field('boundary', [[0.0]])
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


class _PairDataset(torch.utils.data.Dataset):
    """Packed (real, fake) pairs with every gt field, as training makes."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        from laanet.datasets.transforms import PackDeepfakeInputs
        res = dict(img_path=f'{i}.png', video_id=f'v{i}', gt_label=0,
                   gt_label_fake=1, manipulation_fake='SBI',
                   video_id_fake=f'SBI/v{i}')
        for suffix, value in (('', i), ('_fake', i + 10)):
            res['img' + suffix] = np.full((8, 8, 3), value, np.uint8)
            for key in ('heatmap', 'consistency', 'boundary_map'):
                res[key + suffix] = np.full((4, 4), value, np.float32)
        return PackDeepfakeInputs(pair=True, with_boundary=True)(res)


def _tensors(obj):
    """Every tensor inside a (nested) reduce payload."""
    if isinstance(obj, torch.Tensor):
        return [obj]
    if isinstance(obj, PixelData):
        obj = obj.__dict__
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in _tensors(v)]
    if isinstance(obj, (list, tuple)):
        return [t for v in obj for t in _tensors(v)]
    return []


def test_reducer_converts_the_tensors_inside_pixel_data():
    from laanet.structures.deepfake_data_sample import _reduce_datasample
    sample = DeepfakeDataSample().set_gt_label(1).set_pred_score(0.5)
    sample.set_gt_heatmap(torch.ones(1, 4, 4)).set_pred_heatmap(
        torch.zeros(1, 4, 4))
    rebuild, args = _reduce_datasample(sample)
    assert _tensors(args) == []
    restored = rebuild(*args)
    assert torch.equal(restored.gt_fields.heatmap, torch.ones(1, 4, 4))
    assert torch.equal(restored.pred_fields.heatmap, torch.zeros(1, 4, 4))
    assert isinstance(restored.gt_fields, PixelData)


def test_pairs_through_a_two_worker_dataloader():
    """gt_fields cross the worker boundary as numpy arrays (no shared-memory
    file descriptor per map), with pair_collate and persistent workers."""
    from laanet.datasets import pair_collate
    loader = torch.utils.data.DataLoader(
        _PairDataset(),
        batch_size=2,
        num_workers=2,
        persistent_workers=True,
        collate_fn=pair_collate)
    seen = {}
    for _ in range(2):  # two epochs on the same workers
        for batch in loader:
            assert batch['inputs'].shape == (4, 3, 8, 8)
            for img, sample in zip(batch['inputs'], batch['data_samples']):
                value = int(img[0, 0, 0])
                assert sample.gt_label.item() == int(value >= 10)
                for key in ('heatmap', 'consistency', 'boundary'):
                    field = sample.gt_fields.get(key)
                    assert not field.is_shared(), key
                    assert torch.equal(field, torch.full((1, 4, 4),
                                                         float(value)))
                assert not sample.gt_label.is_shared()
                seen[sample.video_id] = value
    assert sorted(seen) == sorted([f'v{i}' for i in range(4)] +
                                  [f'SBI/v{i}' for i in range(4)])
