# Copyright (c) laanet contributors. All rights reserved.
"""Reduction helpers shared by the losses."""
from typing import Optional

import torch


def weight_reduce_loss(loss: torch.Tensor,
                       weight: Optional[torch.Tensor] = None,
                       reduction: str = 'mean',
                       avg_factor: Optional[float] = None) -> torch.Tensor:
    """Apply an element-wise weight and reduce a loss.

    Args:
        loss (torch.Tensor): Element-wise loss.
        weight (torch.Tensor, optional): Element-wise weight, broadcastable
            to ``loss``. Defaults to None.
        reduction (str): ``'none'``, ``'mean'`` or ``'sum'``. Defaults to
            ``'mean'``.
        avg_factor (float, optional): With ``'mean'``, divide the sum by
            this instead of the number of elements. Defaults to None.

    Returns:
        torch.Tensor: The reduced loss.
    """
    if weight is not None:
        loss = loss * weight
    if reduction == 'none':
        return loss
    if reduction == 'sum':
        return loss.sum()
    if reduction != 'mean':
        raise ValueError(f'Unknown reduction {reduction!r}; use "none", '
                         '"mean" or "sum".')
    if avg_factor is None:
        return loss.mean()
    return loss.sum() / avg_factor
