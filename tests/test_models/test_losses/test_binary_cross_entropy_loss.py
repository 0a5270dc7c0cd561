# Copyright (c) laanet contributors. All rights reserved.
import math

import pytest
import torch

from laanet.models.losses import BinaryCrossEntropyLoss, weight_reduce_loss


def test_value_by_hand():
    logits = torch.tensor([[0.0], [math.log(3.0)]])  # p = 0.5, 0.75
    labels = torch.tensor([1, 0])
    loss = BinaryCrossEntropyLoss(loss_weight=2.0)(logits, labels)
    expected = (math.log(2) + math.log(4)) / 2
    assert loss.item() == pytest.approx(2 * expected, rel=1e-6)


def test_count_mismatch_raises():
    with pytest.raises(ValueError):
        BinaryCrossEntropyLoss()(torch.zeros(3), torch.zeros(2))


def test_weight_reduce_loss():
    loss = torch.tensor([1.0, 2.0, 3.0])
    assert weight_reduce_loss(loss).item() == 2.0
    assert weight_reduce_loss(loss, reduction='sum').item() == 6.0
    assert weight_reduce_loss(loss, avg_factor=2).item() == 3.0
    w = torch.tensor([0.0, 1.0, 1.0])
    assert weight_reduce_loss(loss, w, 'sum').item() == 5.0
    with pytest.raises(ValueError):
        weight_reduce_loss(loss, reduction='max')


def test_temperature_and_soft_targets():
    import torch.nn.functional as F
    logits = torch.tensor([[3.], [-1.], [0.5]])
    soft = torch.tensor([[0.2], [1.], [0.7]])
    loss = BinaryCrossEntropyLoss(loss_weight=0.8, temperature=2.)
    want = 0.8 * F.binary_cross_entropy_with_logits(logits / 2, soft)
    assert loss(logits, soft).item() == pytest.approx(want.item())
    with pytest.raises(ValueError, match='temperature'):
        BinaryCrossEntropyLoss(temperature=0.)
