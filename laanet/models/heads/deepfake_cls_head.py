# Copyright (c) laanet contributors. All rights reserved.
"""The real/fake classification head of LAA-Net."""
from typing import List, Optional, Union

import torch
from torch import nn

from laanet.registry import MODELS
from .base_cls_head import BaseBinaryClsHead
from .base_head import Feats
from .laa_stem import LAAStemMixin


@MODELS.register_module()
class DeepfakeClsHead(LAAStemMixin, BaseBinaryClsHead):
    """Binary real/fake classifier of LAA-Net (official ``cls`` head).

    ``pre_logits``: 3×3 conv (bias) → BN → ReLU → global average pool;
    then Linear(64 → 1): one logit per image, P(fake) = σ(logit). Loss,
    scores and predictions are :class:`BaseBinaryClsHead`'s.

    Args:
        in_channels (int): Neck channels. Defaults to 112.
        feat_channels (int): Hidden channels. Defaults to 64.
        loss (dict | nn.Module): Defaults to
            ``dict(type='BinaryCrossEntropyLoss', loss_weight=1.)``.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 loss: Union[dict, nn.Module, None] = dict(
                     type='BinaryCrossEntropyLoss', loss_weight=1.),
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(num_classes=1, loss=loss, init_cfg=init_cfg)
        self._init_stem(in_channels, feat_channels, bn_momentum)
        self.fc = nn.Linear(feat_channels, 1)

    def pre_logits(self, feats: Feats) -> torch.Tensor:
        """Stem, then global average pooling: (N, feat_channels)."""
        return self.stem(feats).mean(dim=(2, 3))
