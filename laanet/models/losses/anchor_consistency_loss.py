# Copyright (c) laanet contributors. All rights reserved.
"""LAA-Net's single-anchor consistency loss."""
import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import nn

from laanet.registry import MODELS
from .utils import weight_reduce_loss


def anchor_similarity_logits(embeddings: torch.Tensor,
                             anchor_index: torch.Tensor) -> torch.Tensor:
    """Scaled dot products between an anchor pixel and every pixel.

    ``⟨f_a, f_j⟩ / √C`` for each image, computed as one batched
    matrix-vector product; no pairwise (HW × HW) matrix is built.

    Args:
        embeddings (torch.Tensor): (N, C, h, w).
        anchor_index (torch.Tensor): (N, ) flat anchor indices in [0, h·w).

    Returns:
        torch.Tensor: (N, 1, h, w) logits.
    """
    n, c, h, w = embeddings.shape
    flat = embeddings.reshape(n, c, h * w)
    anchor = flat.gather(2, anchor_index.view(n, 1, 1).expand(n, c, 1))
    logits = torch.bmm(anchor.transpose(1, 2), flat) / math.sqrt(c)
    return logits.view(n, 1, h, w)


def first_argmax(target: torch.Tensor) -> torch.Tensor:
    """Flat index of the first maximum of each map, in raster order.

    Args:
        target (torch.Tensor): (N, 1, h, w) or (N, h, w).

    Returns:
        torch.Tensor: (N, ) LongTensor.
    """
    flat = target.reshape(target.shape[0], -1)
    is_max = flat == flat.max(dim=1, keepdim=True).values
    # argmax of a 0/1 tensor is not guaranteed to be the first one on
    # every backend: take the smallest index explicitly.
    idx = torch.arange(flat.shape[1], device=flat.device)
    return torch.where(is_max, idx, flat.shape[1]).min(dim=1).values


@MODELS.register_module()
class AnchorConsistencyLoss(nn.Module):
    """LAA-Net's consistency loss (reference §2.3).

    Per image the anchor is the first argmax (raster order) of the target
    consistency map; the prediction at every pixel j is
    ``σ(⟨f_anchor, f_j⟩ / √C)``, compared with the target by binary cross
    entropy. The BCE is computed from the logits (numerically safer than
    the official sigmoid-then-BCE, the same value away from saturation).

    Args:
        reduction (str): ``'mean'``, ``'sum'`` or ``'none'``. Defaults to
            ``'mean'``.
        loss_weight (float): Weight (official λ_cstency 100; set it in the
            config). Defaults to 1.0.
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
            pred (torch.Tensor): Embeddings (N, C, h, w).
            target (torch.Tensor): Consistency targets (N, 1, h, w) in
                [0, 1].
            weight (torch.Tensor, optional): Element-wise weight.
            avg_factor (float, optional): Normaliser for ``'mean'``.
            reduction_override (str, optional): Overrides ``reduction``.

        Returns:
            torch.Tensor: The weighted loss.
        """
        if target.dim() == 3:
            target = target[:, None]
        if (target.shape[0] != pred.shape[0]
                or target.shape[-2:] != pred.shape[-2:]):
            raise ValueError(f'embeddings {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} do not match.')
        target = target.to(pred.dtype)
        logits = anchor_similarity_logits(pred, first_argmax(target))
        loss = F.binary_cross_entropy_with_logits(
            logits, target, reduction='none')
        return self.loss_weight * weight_reduce_loss(
            loss, weight, reduction_override or self.reduction, avg_factor)
