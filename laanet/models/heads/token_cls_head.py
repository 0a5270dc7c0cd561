# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's clip classifier: a linear layer on one token."""
from typing import List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_cls_head import BaseBinaryClsHead


@MODELS.register_module()
class TokenClsHead(BaseBinaryClsHead):
    """Linear(C → 1) on one token of a transformer backbone (output
    ``cls``; the official ``keypoint_head.cls``, whose ``fc_out`` is this
    head's ``fc``).

    FakeSTormer reads the final temporal-token slot (``in_key='token'``
    of :class:`TimeViT`). The official loss is BCE on logit / 2 with
    weight 0.8; the temperature acts in the loss only, so ``pred_score``
    is σ(logit). ``predict`` also sets ``pred_label`` (P(fake) ≥ 0.5).

    Args:
        in_channels (int): Token width. Defaults to 768.
        num_classes (int): 1 (sigmoid) or 2 (softmax). Defaults to 1.
        in_key (str): The backbone output to read. Defaults to ``'token'``.
        loss (dict | nn.Module, optional): Defaults to
            ``dict(type='BinaryCrossEntropyLoss', loss_weight=0.8,
            temperature=2.)``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 768,
                 num_classes: int = 1,
                 in_key: str = 'token',
                 loss: Union[dict, nn.Module, None] = dict(
                     type='BinaryCrossEntropyLoss',
                     loss_weight=0.8,
                     temperature=2.),
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            num_classes=num_classes, loss=loss, init_cfg=init_cfg)
        self.in_key = in_key
        self.fc = nn.Linear(in_channels, num_classes)

    def pre_logits(self, feats: dict) -> torch.Tensor:
        """The (N, C) token."""
        if not isinstance(feats, dict) or self.in_key not in feats:
            got = list(feats) if isinstance(feats, dict) else type(feats)
            raise KeyError(f'TokenClsHead reads the backbone output '
                           f'{self.in_key!r}; got {got}.')
        return feats[self.in_key]

    def predict_by_feat(
        self,
        logits: torch.Tensor,
        data_samples: Optional[Sequence[DeepfakeDataSample]] = None
    ) -> List[DeepfakeDataSample]:
        """Set ``pred_logit``, ``pred_score`` and ``pred_label``."""
        data_samples = super().predict_by_feat(logits, data_samples)
        for sample in data_samples:
            sample.set_field((sample.pred_score >= 0.5).long(), 'pred_label',
                             dtype=torch.Tensor)
        return data_samples
