# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's heatmap head: Conv3d along time on the patch map."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import BaseHead


def _conv3d_block(in_channels: int, out_channels: int, kernel_t: int,
                  bn_momentum: float) -> nn.Sequential:
    """Conv3d (k, 1, 1) → BN3d → GELU (keys ``0``, ``1``)."""
    return nn.Sequential(
        nn.Conv3d(
            in_channels,
            out_channels, (kernel_t, 1, 1),
            padding=(kernel_t // 2, 0, 0)),
        nn.BatchNorm3d(out_channels, momentum=bn_momentum), nn.GELU())


@MODELS.register_module()
class TemporalHeatmapHead(BaseHead):
    """Per-frame maps (N, 1, T, h, w) from a (N, C, T, h, w) patch map
    (output ``heatmap``; the official ``keypoint_head.hm``, same keys).

    ``before_proj``: ``num_convs`` × [Conv3d(C, C, (3, 1, 1)) → BN3d →
    GELU]; ``proj``: [Conv3d(C, C/4) → BN3d → GELU] → Conv3d(C/4, 1). No
    output activation: the map regresses FakeSTormer's z-scored temporal
    targets (loss ``loss_heatmap``, :class:`MaskedMSELoss`, reading
    ``gt_fields.heatmap`` and, when present, ``gt_fields.heatmap_mask``,
    both (T, h, w)). ``predict`` (with ``test_cfg['output_heatmaps']``)
    writes the raw map to ``pred_fields.heatmap`` (T, h, w); flip TTA
    keeps the unflipped view's map (the official map's layout is not
    mirror-symmetric, spec §2.4).

    Args:
        in_channels (int): Channels of the patch map. Defaults to 768.
        feat_channels (int, optional): Width of ``proj``. Defaults to
            ``in_channels // 4``.
        num_convs (int): Blocks of ``before_proj``. Defaults to 1.
        kernel_t (int): Temporal kernel size. Defaults to 3.
        bn_momentum (float): BN3d momentum (official 0.05).
        in_key (str): The backbone output to read. Defaults to
            ``'patch_map'``.
        loss (dict | nn.Module, optional): Defaults to
            ``dict(type='MaskedMSELoss', loss_weight=100.)``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    flip_merge = 'first'
    predict_flag = 'output_heatmaps'
    target_transforms = 'GenerateTemporalTargets, VulnerabilityMask'

    def __init__(self,
                 in_channels: int = 768,
                 feat_channels: Optional[int] = None,
                 num_convs: int = 1,
                 kernel_t: int = 3,
                 bn_momentum: float = 0.05,
                 in_key: str = 'patch_map',
                 loss: Union[dict, nn.Module, None] = dict(
                     type='MaskedMSELoss', loss_weight=100.),
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(loss=loss, init_cfg=init_cfg)
        feat = feat_channels or in_channels // 4
        self.in_key = in_key
        self.before_proj = nn.Sequential(*[
            _conv3d_block(in_channels, in_channels, kernel_t, bn_momentum)
            for _ in range(num_convs)
        ])
        self.proj = nn.Sequential(
            _conv3d_block(in_channels, feat, kernel_t, bn_momentum),
            nn.Conv3d(feat, 1, (kernel_t, 1, 1),
                      padding=(kernel_t // 2, 0, 0)))

    def forward(self, feats: dict) -> torch.Tensor:
        """Raw maps (N, 1, T, h, w)."""
        return self.proj(self.before_proj(feats[self.in_key]))

    def loss_by_feat(
            self, maps: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """``loss_heatmap`` against ``gt_fields.heatmap`` (masked by
        ``gt_fields.heatmap_mask`` when the samples carry it)."""
        self._check_loss()
        target = self.stack_gt_field(data_samples, 'heatmap').unsqueeze(1)
        has_mask = [
            'gt_fields' in s and 'heatmap_mask' in s.gt_fields
            for s in data_samples
        ]
        mask = None
        if any(has_mask):
            if not all(has_mask):
                raise KeyError(
                    f'Data sample {has_mask.index(False)} has no '
                    'gt_fields.heatmap_mask while others have one.')
            mask = self.stack_gt_field(data_samples,
                                       'heatmap_mask').unsqueeze(1)
        if target.shape != maps.shape:
            raise ValueError(f'gt_fields.heatmap {tuple(target.shape[1:])} '
                             'does not fit the predicted maps '
                             f'{tuple(maps.shape[1:])}.')
        return dict(
            loss_heatmap=self.loss_module(maps, target.to(maps), mask))

    def predict_by_feat(
        self, maps: torch.Tensor,
        data_samples: Sequence[DeepfakeDataSample]
    ) -> List[DeepfakeDataSample]:
        """Store ``pred_fields.heatmap`` (T, h, w)."""
        for heatmap, sample in zip(maps, data_samples):
            sample.set_pred_heatmap(heatmap[0].detach())
        return list(data_samples)
