# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.registry import MODELS
from laanet.testing import get_detector_cfg, get_packed_inputs
from laanet.utils import register_all_modules


def test_get_packed_inputs_targets():
    data = get_packed_inputs(batch_size=4, img_size=32, heatmap_size=8)
    assert data['inputs'].shape == (4, 3, 32, 32)
    assert data['inputs'].dtype == torch.uint8
    for i, s in enumerate(data['data_samples']):
        assert s.gt_label.item() == i % 2
        for name in ('heatmap', 'consistency', 'boundary'):
            m = getattr(s.gt_fields, name)
            assert m.shape == (1, 8, 8)
            assert 0 <= m.min() and m.max() <= 1
        if i % 2:
            assert (s.gt_fields.heatmap == 1).sum() >= 1  # exact peak
            assert s.gt_fields.consistency.max() == 1
            assert s.gt_fields.boundary.max() > 0.5
        else:
            assert s.gt_fields.heatmap.abs().sum() == 0
            assert s.gt_fields.consistency.abs().sum() == 0
    bare = get_packed_inputs(2, with_targets=False)['data_samples'][0]
    assert 'gt_fields' not in bare


@pytest.mark.parametrize('arch', ['b0', 'b2'])
def test_get_detector_cfg_builds_with_matching_channels(arch):
    register_all_modules()
    cfg = get_detector_cfg(arch)
    assert cfg['backbone']['init_cfg'] is None
    model = MODELS.build(cfg)
    assert tuple(model.neck.in_channels) == model.backbone.out_channels[2:]
    with pytest.raises(ValueError):
        get_detector_cfg('b8')
