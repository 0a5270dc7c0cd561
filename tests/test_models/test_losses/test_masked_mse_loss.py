# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's three loss terms, through its heads' loss_by_feat, against
the official CombinedMSELoss (tests/data/fakestormer/losses.npz)."""
import os.path as osp

import numpy as np
import pytest
import torch

from laanet.models.heads import (FrameLogitsHead, TemporalHeatmapHead,
                                 TokenClsHead)
from laanet.models.losses import MaskedMSELoss
from laanet.structures import DeepfakeDataSample
from laanet.utils import register_all_modules

LOSSES = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'data',
    'fakestormer', 'losses.npz')


def setup_module():
    register_all_modules()


def _samples(ref, with_mask):
    samples = []
    for i in range(4):
        s = DeepfakeDataSample().set_gt_label(int(ref['label'][i, 0]))
        s.set_gt_field('heatmap', torch.from_numpy(ref['hm_gt'][i, 0]))
        if with_mask:
            s.set_gt_field('heatmap_mask',
                           torch.from_numpy(ref['hm_mask'][i, 0]).float())
        s.set_field(
            torch.from_numpy(ref['temp_loc_gt'][i]).float(),
            'gt_frame_scores',
            dtype=torch.Tensor)
        samples.append(s)
    return samples


@pytest.mark.parametrize('case', ['nomask', 'mask'])
def test_values_and_gradients_match_official(case):
    ref = dict(np.load(LOSSES))
    samples = _samples(ref, case == 'mask')
    preds = {
        k: torch.from_numpy(ref[k]).requires_grad_()
        for k in ('hm', 'cls', 'temp_loc')
    }
    losses = dict(
        TemporalHeatmapHead(in_channels=8).loss_by_feat(
            preds['hm'], samples),
        **TokenClsHead(in_channels=8).loss_by_feat(preds['cls'], samples),
        **FrameLogitsHead(in_channels=8).loss_by_feat(preds['temp_loc'],
                                                      samples))
    pairs = [('loss_heatmap', 'hm'), ('loss_cls', 'cls'),
             ('loss_temporal', 'temp_loc')]
    for ours, theirs in pairs:
        assert losses[ours].item() == pytest.approx(
            float(ref[f'{case}_loss_{theirs}']), rel=1e-6), ours
    total = losses['loss_heatmap'] + losses['loss_cls'] + losses[
        'loss_temporal']
    assert total.item() == pytest.approx(float(ref[f'{case}_loss']), rel=1e-6)
    total.backward()
    for name in ('hm', 'cls', 'temp_loc'):
        want = torch.from_numpy(ref[f'{case}_grad_{name}'])
        torch.testing.assert_close(
            preds[name].grad, want, rtol=1e-6,
            atol=1e-6 * want.abs().max().item())


def test_mask_counts_in_the_denominator():
    pred, target = torch.ones(2, 4), torch.zeros(2, 4)
    mask = torch.tensor([[1., 1, 0, 0], [0, 0, 0, 0]])
    loss = MaskedMSELoss(loss_weight=100.)
    # 2 unmasked errors of 1 over 8 elements, times 100 / 2
    assert loss(pred, target, mask).item() == pytest.approx(100 * 0.5 * 2 / 8)
    assert loss(pred, target).item() == pytest.approx(50.)
    with pytest.raises(ValueError, match='shape'):
        loss(pred, torch.zeros(2, 3))
    with pytest.raises(ValueError, match='mask'):
        loss(pred, target, torch.ones(2, 3))


def test_heatmap_mask_on_some_samples_only_is_refused():
    ref = dict(np.load(LOSSES))
    samples = _samples(ref, True)
    del samples[1].gt_fields.heatmap_mask
    with pytest.raises(KeyError, match='heatmap_mask'):
        TemporalHeatmapHead(in_channels=8).loss_by_feat(
            torch.from_numpy(ref['hm']), samples)
