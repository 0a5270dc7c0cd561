# Copyright (c) laanet contributors. All rights reserved.
"""Squeeze-and-excitation layer for the optional E-FPN ``se_layer``."""
import torch
from torch import nn


class SELayer(nn.Module):
    """Squeeze-and-excitation on a fused map (the optional ``se_layer``).

    Global average pool → Linear(C, C / reduction) → ReLU →
    Linear(C / reduction, C) → sigmoid gate.

    Args:
        channels (int): Channels.
        reduction (int): Reduction ratio. Defaults to 16.
    """

    def __init__(self, channels: int, reduction: int = 16) -> None:
        super().__init__()
        hidden = max(1, channels // reduction)
        self.fc = nn.Sequential(
            nn.Linear(channels, hidden, bias=False), nn.ReLU(inplace=True),
            nn.Linear(hidden, channels, bias=False), nn.Sigmoid())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Gate the channels of ``x``."""
        w = self.fc(x.mean(dim=(2, 3)))
        return x * w[:, :, None, None]
