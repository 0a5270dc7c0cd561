# Copyright (c) laanet contributors. All rights reserved.
import math

import pytest
import torch

from laanet.models.losses import (AnchorConsistencyLoss,
                                  anchor_similarity_logits, first_argmax)


def _sig(x):
    return 1 / (1 + math.exp(-x))


def _bce(p, t):
    return -(t * math.log(p) + (1 - t) * math.log(1 - p))


def test_first_argmax_takes_first_of_ties_in_raster_order():
    target = torch.tensor([[[[0.2, 0.9], [0.9, 0.1]]],
                           [[[0.0, 0.0], [0.0, 0.0]]],
                           [[[0.1, 0.3], [0.2, 0.7]]]])
    assert first_argmax(target).tolist() == [1, 0, 3]


def test_value_by_hand():
    # C = 4 (scale 1/2), one row of three pixels
    emb = torch.zeros(1, 4, 1, 3)
    emb[0, :, 0, 0] = torch.tensor([1., 0., 0., 0.])
    emb[0, :, 0, 1] = torch.tensor([2., 0., 0., 0.])
    emb[0, :, 0, 2] = torch.tensor([0., 2., 0., 0.])
    target = torch.tensor([[[[0.2, 0.9, 0.9]]]])  # anchor: pixel 1
    logits = [2 * 1 / 2, 2 * 2 / 2, 0 / 2]
    expected = sum(_bce(_sig(z), t)
                   for z, t in zip(logits, [0.2, 0.9, 0.9])) / 3
    loss = AnchorConsistencyLoss(loss_weight=100.)(emb, target)
    assert loss.item() == pytest.approx(100 * expected, rel=1e-5)


def test_real_image_anchor_is_first_pixel():
    torch.manual_seed(0)
    emb = torch.randn(1, 8, 3, 3)
    logits = anchor_similarity_logits(emb, torch.tensor([0]))
    manual = (emb[0, :, 0, 0][:, None, None] * emb[0]).sum(0) / math.sqrt(8)
    torch.testing.assert_close(logits[0, 0], manual)
    loss = AnchorConsistencyLoss()(emb, torch.zeros(1, 1, 3, 3))
    expected = -torch.log(1 - torch.sigmoid(manual)).mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5)


def test_mismatched_shapes_raise():
    with pytest.raises(ValueError):
        AnchorConsistencyLoss()(torch.zeros(2, 4, 3, 3),
                                torch.zeros(2, 1, 3, 4))
