# Copyright (c) laanet contributors. All rights reserved.
"""The linear real/fake head of the classifier detectors (SBI)."""
from typing import List, Optional, Union

import torch
from torch import nn

from laanet.registry import MODELS
from .base_cls_head import DEFAULT_LOSSES, BaseBinaryClsHead


@MODELS.register_module()
class LinearClsHead(BaseBinaryClsHead):
    """Dropout → Linear on pooled features: the head of SBI's classifier.

    Two layouts, one meaning downstream (:class:`BaseBinaryClsHead`):

    - ``num_classes=2`` (SBI): softmax over (real, fake) with cross
      entropy; ``pred_score`` = softmax[:, 1], as SBI scores a face, and
      ``pred_logit`` = l_fake − l_real (whose sigmoid is that score).
    - ``num_classes=1``: one logit with binary cross entropy;
      ``pred_score`` = σ(logit).

    So metrics, inference and reports read ``pred_score`` (P(fake)) and
    ``pred_logit`` the same way for both, and for LAA-Net's head.

    Args:
        in_channels (int): Channels of the pooled features (1792 for B4).
        num_classes (int): 2 (softmax) or 1 (sigmoid). Defaults to 2.
        dropout_rate (float): Dropout before the linear layer (SBI's
            EfficientNet-B4: 0.4). Defaults to 0.
        loss (dict | nn.Module, optional): Defaults to cross entropy for 2
            classes and binary cross entropy for 1 (:data:`DEFAULT_LOSSES`).
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int = 2,
                 dropout_rate: float = 0.,
                 loss: Union[dict, nn.Module, None] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if not 0.0 <= dropout_rate < 1.0:
            raise ValueError('dropout_rate must be in [0, 1), got '
                             f'{dropout_rate}.')
        if loss is None:
            loss = DEFAULT_LOSSES.get(num_classes)
        super().__init__(
            num_classes=num_classes, loss=loss, init_cfg=init_cfg)
        self.in_channels = in_channels
        self.dropout = nn.Dropout(dropout_rate)
        self.fc = nn.Linear(in_channels, num_classes)

    def pre_logits(self, feats) -> torch.Tensor:
        """Dropout on the pooled (N, C) features.

        Args:
            feats (torch.Tensor | tuple[torch.Tensor]): (N, C) features, or
                a tuple whose last entry is used.

        Returns:
            torch.Tensor: The features the linear layer classifies.
        """
        x = feats[-1] if isinstance(feats, (tuple, list)) else feats
        if not isinstance(x, torch.Tensor) or x.dim() != 2:
            raise ValueError('LinearClsHead takes pooled (N, C) features, '
                             f'got {getattr(x, "shape", type(x))}: add a '
                             "neck=dict(type='GlobalAveragePooling').")
        return self.dropout(x)
