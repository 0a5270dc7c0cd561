# Copyright (c) laanet contributors. All rights reserved.
"""The artifact heatmap head of LAA-Net."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import BaseLAAHead, Feats


@MODELS.register_module()
class HeatmapHead(BaseLAAHead):
    """Heatmap of blending-artifact points (official ``hm`` head).

    3×3 conv (bias) → BN → ReLU → 1×1 conv to 1 channel; the final bias
    starts at ``bias_init`` (−2.19, i.e. σ ≈ 0.1, as in CenterNet). The
    loss reads ``gt_fields.heatmap``; ``predict`` adds
    ``pred_fields.heatmap`` (σ of the logits, flip-averaged with flip TTA)
    when ``test_cfg['output_heatmaps']`` is true.

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

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 loss: Union[dict, nn.Module, None] = dict(
                     type='HeatmapFocalLoss', loss_weight=100.),
                 bias_init: float = -2.19,
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(in_channels, feat_channels, loss, bn_momentum,
                         init_cfg)
        self.final_conv = nn.Conv2d(feat_channels, 1, 1)
        nn.init.constant_(self.final_conv.bias, bias_init)

    def forward(self, feats: Feats) -> torch.Tensor:
        """Return heatmap logits (N, 1, h, w)."""
        return self.final_conv(self.stem(feats))

    def loss(self,
             feats: Feats,
             data_samples: Sequence[DeepfakeDataSample],
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """Compute ``loss_hm`` against ``gt_fields.heatmap``."""
        return self.loss_by_feat(self(feats), data_samples)

    def loss_by_feat(
            self, logits: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """Compute ``loss_hm`` from logits."""
        self._check_loss()
        target = self.stack_gt_field(data_samples, 'heatmap')
        return dict(loss_hm=self.loss_module(logits, target.to(logits)))

    def predict(self,
                feats,
                data_samples: Sequence[DeepfakeDataSample],
                test_cfg: Optional[dict] = None) -> List[DeepfakeDataSample]:
        """Add ``pred_fields.heatmap`` when asked (``output_heatmaps``).

        Args:
            feats: Neck features, or ``[feats, feats_of_flipped_images]``.
            data_samples (list[DeepfakeDataSample]): Samples to fill.
            test_cfg (dict, optional): ``output_heatmaps`` (bool).

        Returns:
            list[DeepfakeDataSample]: The samples.
        """
        test_cfg = test_cfg or {}
        if not test_cfg.get('output_heatmaps', False):
            return list(data_samples)
        feats, feats_flip = self.split_flip(feats)
        heatmaps = torch.sigmoid(self(feats))
        if feats_flip is not None:
            flipped = torch.sigmoid(self(feats_flip)).flip(-1)
            heatmaps = (heatmaps + flipped) / 2
        return self.predict_by_feat(heatmaps, data_samples)

    def predict_by_feat(
        self, heatmaps: torch.Tensor,
        data_samples: Sequence[DeepfakeDataSample]
    ) -> List[DeepfakeDataSample]:
        """Store heatmaps (N, 1, h, w) in ``pred_fields.heatmap``."""
        for heatmap, sample in zip(heatmaps, data_samples):
            sample.set_pred_heatmap(heatmap.detach())
        return list(data_samples)
