# Copyright (c) laanet contributors. All rights reserved.
"""Softmax cross entropy for a two-logit real/fake classifier."""
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from laanet.registry import MODELS
from .utils import weight_reduce_loss


@MODELS.register_module()
class CrossEntropyLoss(nn.Module):
    """Softmax cross entropy over class logits (SBI's ``nn.CrossEntropyLoss``,
    class 1 = fake).

    Args:
        reduction (str): ``'mean'``, ``'sum'`` or ``'none'``. Defaults to
            ``'mean'``.
        loss_weight (float): Weight of the loss. Defaults to 1.0.
    """

    def __init__(self,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            pred (torch.Tensor): Logits (N, C).
            target (torch.Tensor): Class indices (N, ) in [0, C).
            weight (torch.Tensor, optional): Per-sample weight (N, ).
            avg_factor (float, optional): Normaliser for ``'mean'``.
            reduction_override (str, optional): Overrides ``reduction``.

        Returns:
            torch.Tensor: The weighted loss.
        """
        target = target.reshape(-1).long()
        if pred.dim() != 2 or pred.shape[0] != target.numel():
            raise ValueError(f'CrossEntropyLoss needs (N, C) logits and N '
                             f'labels, got logits {tuple(pred.shape)} and '
                             f'{target.numel()} labels.')
        loss = F.cross_entropy(pred, target, reduction='none')
        if weight is not None:
            weight = weight.reshape(-1)
        return self.loss_weight * weight_reduce_loss(
            loss, weight, reduction_override or self.reduction, avg_factor)
