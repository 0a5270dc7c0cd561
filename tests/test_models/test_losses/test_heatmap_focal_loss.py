# Copyright (c) laanet contributors. All rights reserved.
import math

import pytest
import torch

from laanet.registry import MODELS
from laanet.utils import register_all_modules

LN3 = math.log(3.0)  # logit of p = 0.75


def setup_module():
    register_all_modules()


def _loss(**kwargs):
    return MODELS.build(dict(type='HeatmapFocalLoss', **kwargs))


def test_value_by_hand():
    # sigmoids: 0.5, 0.75 / 0.25, 0.5
    pred = torch.tensor([[[[0.0, LN3], [-LN3, 0.0]]]])
    target = torch.tensor([[[[1.0, 0.5], [0.0, 0.5]]]])
    expected = (
        0.72 * math.log(2) * 0.5**2  # positive, p = 0.5
        + math.log(4) * 0.75**2 * 0.5**4  # p = 0.75, target 0.5
        + math.log(4 / 3) * 0.25**2 * 1.0  # p = 0.25, target 0
        + math.log(2) * 0.5**2 * 0.5**4)  # p = 0.5, target 0.5
    loss = _loss(loss_weight=100.)(pred, target)
    assert loss.item() == pytest.approx(100 * expected / 1, rel=1e-5)


def test_normalised_by_positives_of_whole_batch():
    pred = torch.zeros(2, 1, 2, 2)
    target = torch.zeros(2, 1, 2, 2)
    target[0, 0, 0, 0] = target[0, 0, 1, 1] = 1.0  # image 1: none
    pos = 0.72 * math.log(2) * 0.25
    expected = (2 * pos) / 2  # negatives have target 0 but p=.5:
    expected += (6 * math.log(2) * 0.25) / 2
    assert _loss()(pred, target).item() == pytest.approx(expected, rel=1e-5)


def test_no_positive_gives_negative_sum():
    pred = torch.tensor([[[[0.0, LN3], [-LN3, 0.0]]]])
    target = torch.zeros_like(pred)
    expected = (
        math.log(2) * 0.25 + math.log(4) * 0.5625 + math.log(4 / 3) * 0.0625 +
        math.log(2) * 0.25)
    assert _loss()(pred, target).item() == pytest.approx(expected, rel=1e-5)


def test_only_exact_ones_are_positive_and_clamp_keeps_it_finite():
    pred = torch.tensor([[[[30.0, -30.0]]]])
    near = _loss()(pred, torch.tensor([[[[0.999, 0.0]]]]))
    exact = _loss()(pred, torch.tensor([[[[1.0, 0.0]]]]))
    assert torch.isfinite(near) and torch.isfinite(exact)
    # p clamps to 1 - 1e-4 and 1e-4; the second pixel is a negative
    second = -math.log(1 - 1e-4) * 1e-4**2
    assert near.item() == pytest.approx(
        -math.log(1e-4) * (1 - 1e-4)**2 * 0.001**4 + second, rel=1e-3)
    assert exact.item() == pytest.approx(
        -0.72 * math.log(1 - 1e-4) * 1e-4**2 + second, rel=1e-3)


def test_shape_mismatch_raises():
    with pytest.raises(ValueError):
        _loss()(torch.zeros(1, 1, 2, 2), torch.zeros(1, 1, 2, 3))
