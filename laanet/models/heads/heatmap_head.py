# Copyright (c) laanet contributors. All rights reserved.
"""The artifact heatmap head of LAA-Net."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import BaseHead, Feats
from .laa_stem import LAAStemMixin


@MODELS.register_module()
class HeatmapHead(LAAStemMixin, BaseHead):
    """Heatmap of blending-artifact points (output ``heatmap``; the
    official ``hm`` head).

    3×3 conv (bias) → BN → ReLU → 1×1 conv to 1 channel; the final bias
    starts at ``bias_init`` (−2.19, i.e. σ ≈ 0.1, as in CenterNet). The
    loss (``loss_heatmap``) reads ``gt_fields.heatmap``; the prediction,
    ``pred_fields.heatmap`` (σ of the logits; flip TTA averages it with the
    flipped image's, flipped back), is made when
    ``test_cfg['output_heatmaps']`` is true.

    Args:
        in_channels (int): Neck channels. Defaults to 112.
        feat_channels (int): Hidden channels. Defaults to 64.
        loss (dict | nn.Module): Defaults to
            ``dict(type='HeatmapFocalLoss', loss_weight=100.)``.
        bias_init (float): Initial bias of the output conv. Defaults to
            -2.19.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    flip_merge = 'mean_unflip'
    predict_flag = 'output_heatmaps'

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 loss: Union[dict, nn.Module, None] = dict(
                     type='HeatmapFocalLoss', loss_weight=100.),
                 bias_init: float = -2.19,
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(loss=loss, init_cfg=init_cfg)
        self._init_stem(in_channels, feat_channels, bn_momentum)
        self.final_conv = nn.Conv2d(feat_channels, 1, 1)
        nn.init.constant_(self.final_conv.bias, bias_init)

    def forward(self, feats: Feats) -> torch.Tensor:
        """Return heatmap logits (N, 1, h, w)."""
        return self.final_conv(self.stem(feats))

    def loss_by_feat(
            self, logits: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """Compute ``loss_heatmap`` from logits."""
        self._check_loss()
        target = self.stack_gt_field(data_samples, 'heatmap')
        return dict(loss_heatmap=self.loss_module(logits, target.to(logits)))

    def activate(self, output: torch.Tensor) -> torch.Tensor:
        """Heatmap logits → heatmaps σ(logits)."""
        return torch.sigmoid(output)

    def predict_by_feat(
        self, heatmaps: torch.Tensor,
        data_samples: Sequence[DeepfakeDataSample]
    ) -> List[DeepfakeDataSample]:
        """Store heatmaps (N, 1, h, w) in ``pred_fields.heatmap``."""
        for heatmap, sample in zip(heatmaps, data_samples):
            sample.set_pred_heatmap(heatmap.detach())
        return list(data_samples)
