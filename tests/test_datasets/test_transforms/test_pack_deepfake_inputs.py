# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest
import torch

from laanet.datasets.transforms import PackDeepfakeInputs
from laanet.structures import DeepfakeDataSample


def _view(value):
    return dict(img=np.full((8, 6, 3), value, np.uint8),
                heatmap=np.full((1, 4, 3), value / 10, np.float32),
                consistency=np.full((1, 4, 3), value / 20, np.float32),
                boundary_map=np.full((4, 3), value / 30, np.float32),
                blend_mask=np.full((4, 3), value / 40, np.float32))


def test_pack_pair():
    # as SelfBlend(pair=True) leaves it: the fake view named by the
    # synthesis (manipulation_fake, video_id_fake)
    res = dict(img_path='a.png', video_id='v', frame_idx=3, flip=True,
               img_shape=(8, 6), manipulation='original', gt_label=0,
               gt_label_fake=1, manipulation_fake='SBI',
               video_id_fake='SBI/v', extra='dropped')
    res.update(_view(1))
    res.update({k + '_fake': v for k, v in _view(2).items()})
    out = PackDeepfakeInputs(
        pair=True, with_blend_mask=True, with_boundary=True)(res)
    assert set(out) == {'inputs', 'data_samples'}
    inputs = out['inputs']
    assert inputs.shape == (2, 3, 8, 6) and inputs.dtype == torch.uint8
    assert inputs[0].eq(1).all() and inputs[1].eq(2).all()
    real, fake = out['data_samples']
    assert isinstance(real, DeepfakeDataSample)
    assert real.gt_label.tolist() == [0] and fake.gt_label.tolist() == [1]
    assert real.gt_fields.heatmap.shape == (1, 4, 3)
    assert fake.gt_fields.boundary.shape == (1, 4, 3)
    assert torch.allclose(fake.gt_fields.blend_mask, torch.tensor(0.05))
    assert torch.allclose(fake.gt_fields.consistency, torch.tensor(0.1))
    assert real.manipulation == 'original' and fake.manipulation == 'SBI'
    assert fake.img_path == 'a.png' and fake.frame_idx == 3
    # per-view meta: the fake's own video id, the shared file name
    assert real.video_id == 'v' and fake.video_id == 'SBI/v'
    assert 'extra' not in real.metainfo


def test_pack_single_and_errors():
    res = dict(label=1, img_path='b.png')
    res.update(_view(3))
    out = PackDeepfakeInputs()(res)
    assert out['inputs'].shape == (3, 8, 6)
    assert out['data_samples'].gt_label.tolist() == [1]
    with pytest.raises(KeyError, match='img_fake'):
        PackDeepfakeInputs(pair=True)(res)
    with pytest.raises(KeyError, match='gt_label'):
        PackDeepfakeInputs()(dict(img=np.zeros((2, 2, 3), np.uint8)))
    assert 'pair=False' in repr(PackDeepfakeInputs())


def test_packer_does_not_rename_videos_or_manipulations():
    """Naming a fake is the synthesis transform's job, not the packer's."""
    res = dict(img_path='c.png', video_id='000', manipulation='SBI',
               gt_label=1)
    res.update(_view(4))
    sample = PackDeepfakeInputs()(res)['data_samples']
    assert sample.video_id == '000' and sample.manipulation == 'SBI'


def test_blend_mask_and_boundary_are_packed_only_on_request():
    res = dict(img_path='d.png', gt_label=1)
    res.update(_view(5))
    sample = PackDeepfakeInputs()(res)['data_samples']
    assert set(sample.gt_fields.keys()) == {'heatmap', 'consistency'}
    sample = PackDeepfakeInputs(with_boundary=True)(res)['data_samples']
    assert torch.allclose(sample.gt_fields.boundary, torch.tensor(5 / 30))
