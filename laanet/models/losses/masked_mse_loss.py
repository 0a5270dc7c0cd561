# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's heatmap loss: a masked mean squared error."""
from typing import Optional

import torch
from torch import nn

from laanet.registry import MODELS


@MODELS.register_module()
class MaskedMSELoss(nn.Module):
    """``loss_weight · ½ · mean((m·ŷ − m·y)²)`` (the official
    ``JointsMSELoss`` with one joint, as FakeSTormer calls it).

    The mask m (1 = kept, 0 = a masked-out cell) multiplies the prediction
    and the target, so masked cells count as zero error **in the mean's
    denominator too** (the official reduction: the mean runs over every
    element). Without a mask it is ``loss_weight · ½ · MSE``.

    Args:
        loss_weight (float): Weight (official λ_hm 100). Defaults to 100.
        scale (float): The ½ of the official loss. Defaults to 0.5.
    """

    def __init__(self, loss_weight: float = 100., scale: float = 0.5) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.scale = scale

    def forward(self,
                pred: torch.Tensor,
                target: torch.Tensor,
                mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            pred (torch.Tensor): Raw predictions, any shape.
            target (torch.Tensor): Targets of the same shape.
            mask (torch.Tensor, optional): 0/1 weights of the same shape.

        Returns:
            torch.Tensor: The scalar loss.
        """
        if pred.shape != target.shape:
            raise ValueError(f'prediction {tuple(pred.shape)} and target '
                             f'{tuple(target.shape)} differ in shape.')
        target = target.to(pred.dtype)
        if mask is not None:
            if mask.shape != pred.shape:
                raise ValueError(f'mask {tuple(mask.shape)} and prediction '
                                 f'{tuple(pred.shape)} differ in shape.')
            mask = mask.to(pred.dtype)
            pred, target = pred * mask, target * mask
        return self.loss_weight * self.scale * (pred - target).pow(2).mean()
