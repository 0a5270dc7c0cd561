# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import TemporalHeatmapHead
from laanet.structures import DeepfakeDataSample
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_official_layers_and_output():
    head = TemporalHeatmapHead(in_channels=32)
    assert [k for k in head.state_dict() if k.endswith('weight')] == [
        'before_proj.0.0.weight', 'before_proj.0.1.weight',
        'proj.0.0.weight', 'proj.0.1.weight', 'proj.1.weight'
    ]
    assert head.before_proj[0][1].momentum == 0.05
    assert head.proj[1].weight.shape == (1, 8, 3, 1, 1)
    out = head.eval()(dict(patch_map=torch.randn(2, 32, 4, 5, 5)))
    assert out.shape == (2, 1, 4, 5, 5)
    # frames are mixed only along time: a change at (t=0, 1, 1) reaches
    # frames 0-3 at (1, 1) (three kernel-3 convs) and no other cell
    x = torch.randn(1, 32, 4, 5, 5)
    y = x.clone()
    y[0, :, 0, 1, 1] += 1
    diff = (head(dict(patch_map=x)) - head(dict(patch_map=y))).abs()[0, 0]
    assert diff[:, 1, 1].min() > 0
    diff[:, 1, 1] = 0
    assert diff.max() == 0


def test_a_missing_target_names_the_clip_transforms():
    with pytest.raises(KeyError, match='GenerateTemporalTargets'):
        TemporalHeatmapHead.stack_gt_field([DeepfakeDataSample()], 'heatmap')
