# Copyright (c) laanet contributors. All rights reserved.
"""The consistency (embedding) head of LAA-Net."""
import math
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from ..losses.anchor_consistency_loss import (anchor_similarity_logits,
                                              first_argmax)
from .base_head import BaseHead, Feats
from .laa_stem import LAAStemMixin


@MODELS.register_module()
class ConsistencyHead(LAAStemMixin, BaseHead):
    """Per-pixel embeddings for the consistency loss (output
    ``consistency``; the official ``cstency`` head).

    3×3 conv (bias) → BN → ReLU → 1×1 conv to ``embed_channels`` (256).
    The output conv's weight starts at ``N(0, sqrt(2 / embed_channels))``,
    its bias at 0. The loss reads ``gt_fields.consistency`` and takes the
    anchor at its first argmax (:class:`AnchorConsistencyLoss`). With
    ``test_cfg['output_consistency']``, ``predict`` adds
    ``pred_fields.consistency``: the similarity σ(⟨f_a, f_j⟩/√C) of every
    pixel with the anchor at the maximum of ``pred_fields.heatmap`` (so
    the heatmap head must output heatmaps too). Flip TTA keeps the
    unflipped image's embeddings.

    Args:
        in_channels (int): Neck channels. Defaults to 112.
        feat_channels (int): Hidden channels. Defaults to 64.
        embed_channels (int): Embedding size. Defaults to 256.
        loss (dict | nn.Module): Defaults to
            ``dict(type='AnchorConsistencyLoss', loss_weight=100.)``.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    flip_merge = 'first'
    predict_flag = 'output_consistency'

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 embed_channels: int = 256,
                 loss: Union[dict, nn.Module, None] = dict(
                     type='AnchorConsistencyLoss', loss_weight=100.),
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(loss=loss, init_cfg=init_cfg)
        self._init_stem(in_channels, feat_channels, bn_momentum)
        self.embed_channels = embed_channels
        self.final_conv = nn.Conv2d(feat_channels, embed_channels, 1)
        nn.init.normal_(self.final_conv.weight, 0.0,
                        math.sqrt(2.0 / embed_channels))
        nn.init.zeros_(self.final_conv.bias)

    def forward(self, feats: Feats) -> torch.Tensor:
        """Return embeddings (N, embed_channels, h, w)."""
        return self.final_conv(self.stem(feats))

    def loss_by_feat(
            self, embeddings: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """Compute ``loss_consistency`` from embeddings."""
        self._check_loss()
        target = self.stack_gt_field(data_samples, 'consistency')
        return dict(
            loss_consistency=self.loss_module(embeddings,
                                              target.to(embeddings)))

    def predict_by_feat(
        self, embeddings: torch.Tensor,
        data_samples: Sequence[DeepfakeDataSample]
    ) -> List[DeepfakeDataSample]:
        """Similarity to the predicted-heatmap peak, per pixel."""
        heatmaps = []
        for i, sample in enumerate(data_samples):
            if ('pred_fields' not in sample
                    or 'heatmap' not in sample.pred_fields):
                raise KeyError(
                    f'Data sample {i} has no pred_fields.heatmap; set '
                    'test_cfg output_heatmaps=True with output_consistency.')
            heatmaps.append(sample.pred_fields.heatmap)
        anchors = first_argmax(torch.stack(heatmaps).to(embeddings))
        sim = torch.sigmoid(anchor_similarity_logits(embeddings, anchors))
        for s, sample in zip(sim, data_samples):
            sample.pred_fields.set_data(dict(consistency=s.detach()))
        return list(data_samples)
