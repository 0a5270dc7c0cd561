# Copyright (c) laanet contributors. All rights reserved.
"""The conv stem of LAA-Net's three heads."""
import torch
from torch import nn

from .base_head import BaseHead, Feats


class LAAStemMixin:
    """A 3×3 conv (with bias) → BN → ReLU stem on the neck output, shared
    by LAA-Net's heads (official ``hm``, ``cls``, ``cstency`` sequentials
    start with it). Its layers are the head's ``conv``, ``bn`` and ``relu``
    (the checkpoint keys)."""

    def _init_stem(self, in_channels: int, feat_channels: int,
                   bn_momentum: float) -> None:
        """Build the stem (before the head's output layer, so that a seeded
        initialisation draws the same numbers in the same order)."""
        self.in_channels = in_channels
        self.feat_channels = feat_channels
        self.conv = nn.Conv2d(
            in_channels, feat_channels, 3, padding=1, bias=True)
        self.bn = nn.BatchNorm2d(feat_channels, momentum=bn_momentum)
        self.relu = nn.ReLU(inplace=True)

    def stem(self, feats: Feats) -> torch.Tensor:
        """Apply the 3×3 conv → BN → ReLU stem to the neck output."""
        return self.relu(self.bn(self.conv(BaseHead.last_feat(feats))))
