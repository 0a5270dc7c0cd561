# Copyright (c) laanet contributors. All rights reserved.
"""CenterNet focal loss on artifact heatmaps, as LAA-Net uses it."""
from typing import Optional

import torch
from torch import nn

from laanet.registry import MODELS
from .utils import weight_reduce_loss


def heatmap_focal_loss(pred: torch.Tensor,
                       target: torch.Tensor,
                       alpha: float = 2.0,
                       beta: float = 4.0,
                       pos_weight: float = 0.72,
                       eps: float = 1e-4) -> torch.Tensor:
    """Element-wise CenterNet focal loss on heatmap logits.

    ``p = clamp(σ(pred), eps, 1 − eps)``. Where ``target == 1`` (exact
    Gaussian peaks): ``−pos_weight · log(p) · (1 − p)^α``; elsewhere:
    ``−log(1 − p) · p^α · (1 − target)^β``.

    Args:
        pred (torch.Tensor): Heatmap logits.
        target (torch.Tensor): Targets in [0, 1], same shape.
        alpha (float): Focusing exponent. Defaults to 2.
        beta (float): Penalty-reduction exponent. Defaults to 4.
        pos_weight (float): Factor on the positive term; LAA-Net's "label
            smoothing 0.35" is exactly ``(1 − 0.35) + 0.35·0.2 = 0.72``.
            Defaults to 0.72.
        eps (float): Probability clamp. Defaults to 1e-4.

    Returns:
        torch.Tensor: The element-wise (positive) loss.
    """
    prob = torch.sigmoid(pred).clamp(eps, 1 - eps)
    pos = target.eq(1)
    pos_loss = -torch.log(prob) * (1 - prob).pow(alpha) * pos_weight
    neg_loss = (-torch.log(1 - prob) * prob.pow(alpha) *
                (1 - target).pow(beta))
    return torch.where(pos, pos_loss, neg_loss)


@MODELS.register_module()
class HeatmapFocalLoss(nn.Module):
    """CenterNet focal loss on heatmap logits (LAA-Net's ``L_hm``).

    With ``reduction='mean'`` the summed loss is divided by the number of
    positive pixels (``target == 1``) in the whole batch; with no positive
    at all (an all-real batch) it is the summed negative term alone, as
    in the official code.

    Args:
        alpha (float): Focusing exponent. Defaults to 2.
        beta (float): Penalty-reduction exponent. Defaults to 4.
        pos_weight (float): Factor on the positive term (official 0.72).
            Defaults to 0.72.
        eps (float): Probability clamp. Defaults to 1e-4.
        reduction (str): ``'mean'`` (per positive), ``'sum'`` or
            ``'none'``. Defaults to ``'mean'``.
        loss_weight (float): Weight of the loss (official λ_hm 100; set it
            in the config). Defaults to 1.0.
    """

    def __init__(self,
                 alpha: float = 2.0,
                 beta: float = 4.0,
                 pos_weight: float = 0.72,
                 eps: float = 1e-4,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.alpha = alpha
        self.beta = beta
        self.pos_weight = pos_weight
        self.eps = eps
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
            pred (torch.Tensor): Logits (N, 1, h, w).
            target (torch.Tensor): Targets (N, 1, h, w).
            weight (torch.Tensor, optional): Element-wise weight.
            avg_factor (float, optional): Normaliser for ``'mean'``;
                defaults to the number of positives (or 1 if none).
            reduction_override (str, optional): Overrides ``reduction``.

        Returns:
            torch.Tensor: The weighted loss.
        """
        if pred.shape != target.shape:
            raise ValueError(f'pred {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} shapes differ.')
        reduction = reduction_override or self.reduction
        loss = heatmap_focal_loss(pred, target.to(pred.dtype), self.alpha,
                                  self.beta, self.pos_weight, self.eps)
        if reduction == 'mean' and avg_factor is None:
            avg_factor = target.eq(1).sum().clamp(min=1).to(loss.dtype)
        return self.loss_weight * weight_reduce_loss(loss, weight, reduction,
                                                     avg_factor)
