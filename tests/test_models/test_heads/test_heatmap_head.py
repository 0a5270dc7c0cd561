# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import HeatmapHead
from laanet.testing import get_packed_inputs
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_forward_init_and_loss():
    head = HeatmapHead(in_channels=16, feat_channels=8)
    assert (head.final_conv.bias == -2.19).all()
    assert head.conv.bias is not None
    feats = (torch.randn(2, 16, 8, 8), )
    assert head(feats).shape == (2, 1, 8, 8)
    samples = get_packed_inputs(2, 32, 8)['data_samples']
    losses = head.loss(feats, samples)
    assert set(losses) == {'loss_heatmap'}
    # the same as the loss module on the stacked targets
    target = torch.stack([s.gt_fields.heatmap for s in samples])
    expected = head.loss_module(head(feats), target)
    assert losses['loss_heatmap'].item() == pytest.approx(expected.item())
    assert head.loss_module.loss_weight == 100.


def test_missing_target_is_a_clear_error():
    head = HeatmapHead(in_channels=16)
    samples = get_packed_inputs(2, 32, 8, with_targets=False)['data_samples']
    with pytest.raises(KeyError, match='gt_fields.heatmap'):
        head.loss((torch.randn(2, 16, 8, 8), ), samples)


def test_predict_heatmaps_and_flip_rule():
    head = HeatmapHead(in_channels=16).eval()
    x = torch.randn(1, 16, 8, 8)
    samples = get_packed_inputs(1, 32, 8)['data_samples']
    out = head.predict((x, ), samples)
    torch.testing.assert_close(out[0].pred_fields.heatmap,
                               torch.sigmoid(head(x))[0])
    # what the detector's flip TTA reads: probabilities, merged with the
    # flipped image's map flipped back, on request only
    assert head.flip_merge == 'mean_unflip'
    assert head.predict_flag == 'output_heatmaps'
    torch.testing.assert_close(head.activate(head(x)),
                               torch.sigmoid(head(x)))
