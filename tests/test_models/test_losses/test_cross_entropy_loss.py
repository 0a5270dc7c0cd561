# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F

from laanet.models.losses import CrossEntropyLoss


def test_equals_torch_cross_entropy_weighted_and_reduced():
    torch.manual_seed(0)
    logits, labels = torch.randn(5, 2), torch.tensor([0, 1, 1, 0, 1])
    assert torch.allclose(
        CrossEntropyLoss()(logits, labels), F.cross_entropy(logits, labels))
    summed = CrossEntropyLoss(loss_weight=2.)(
        logits, labels, reduction_override='sum')
    assert torch.allclose(
        summed, 2 * F.cross_entropy(logits, labels, reduction='sum'))
    w = torch.tensor([1., 0., 1., 0., 1.])
    per = F.cross_entropy(logits, labels, reduction='none')
    assert torch.allclose(
        CrossEntropyLoss()(logits, labels, weight=w), (per * w).mean())


def test_shape_errors_are_clear():
    with pytest.raises(ValueError, match='CrossEntropyLoss needs'):
        CrossEntropyLoss()(torch.zeros(3, 2), torch.zeros(4))
    with pytest.raises(ValueError, match='CrossEntropyLoss needs'):
        CrossEntropyLoss()(torch.zeros(3), torch.zeros(3))
