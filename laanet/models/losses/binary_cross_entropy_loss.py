# Copyright (c) laanet contributors. All rights reserved.
"""Binary cross entropy on logits for the real/fake classifier."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from laanet.registry import MODELS
from .utils import weight_reduce_loss


@MODELS.register_module()
class BinaryCrossEntropyLoss(nn.Module):
    """BCE with logits (LAA-Net's ``L_cls``, label 1 = fake).

    The official code applies a sigmoid and then ``BCELoss``; on logits
    the value is the same without the saturation at ±100. Targets may be
    soft (floats in [0, 1], FakeSTormer's per-frame targets).

    Args:
        reduction (str): ``'mean'``, ``'sum'`` or ``'none'``. Defaults to
            ``'mean'``.
        loss_weight (float): Weight (official λ_cls 1). Defaults to 1.0.
        temperature (float): The logits are divided by it before the loss
            (FakeSTormer's cls loss: 2). Defaults to 1.0.
    """

    def __init__(self,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0,
                 temperature: float = 1.0) -> None:
        super().__init__()
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}.')
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.temperature = temperature

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            pred (torch.Tensor): Logits (N, ) or (N, 1).
            target (torch.Tensor): Labels in {0, 1} or soft targets in
                [0, 1], of the logits' shape (or flattened).
            weight (torch.Tensor, optional): Per-sample weight.
            avg_factor (float, optional): Normaliser for ``'mean'``.
            reduction_override (str, optional): Overrides ``reduction``.

        Returns:
            torch.Tensor: The weighted loss.
        """
        pred = pred.reshape(-1)
        target = target.reshape(-1).to(pred.dtype)
        if pred.shape != target.shape:
            raise ValueError(f'{pred.numel()} logits but {target.numel()} '
                             'labels.')
        if self.temperature != 1.0:
            pred = pred / self.temperature
        loss = F.binary_cross_entropy_with_logits(
            pred, target, reduction='none')
        if weight is not None:
            weight = weight.reshape(-1)
        return self.loss_weight * weight_reduce_loss(
            loss, weight, reduction_override or self.reduction, avg_factor)
