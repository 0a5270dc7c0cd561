# Copyright (c) laanet contributors. All rights reserved.
"""The (1, T, h, w) heatmap head of :class:`ToyClipModel` (tests only)."""
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from laanet.models.heads.base_head import BaseHead
from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample


@MODELS.register_module()
class ToyClipHeatmapHead(BaseHead):
    """A 1×1×1 conv on the map pooled by ``stride``: (N, 1, T, h, w),
    predicted as ``pred_fields.heatmap`` (T, h, w) (the FakeSTormer
    contract's field; the values are the raw regression output).

    Args:
        in_channels (int): Channels of the map.
        stride (int): Spatial pooling. Defaults to 4.
    """

    flip_merge = 'mean_unflip'
    predict_flag = 'output_heatmaps'

    def __init__(self, in_channels: int, stride: int = 4) -> None:
        super().__init__(loss=None)
        self.stride = stride
        self.final_conv = nn.Conv3d(in_channels, 1, 1)

    def forward(self, feats) -> torch.Tensor:
        """(N, 1, T, h, w) heatmaps."""
        s = self.stride
        return self.final_conv(F.avg_pool3d(feats[0], (1, s, s)))

    def loss_by_feat(self, output: torch.Tensor,
                     data_samples: Sequence[DeepfakeDataSample]
                     ) -> Dict[str, torch.Tensor]:
        """MSE against ``gt_fields.heatmap`` (T, h, w)."""
        target = self.stack_gt_field(data_samples, 'heatmap')[:, None]
        return dict(loss_heatmap=F.mse_loss(output, target.to(output)))

    def predict_by_feat(self, heatmaps: torch.Tensor,
                        data_samples: Sequence[DeepfakeDataSample]
                        ) -> List[DeepfakeDataSample]:
        """Store (T, h, w) maps in ``pred_fields.heatmap``."""
        for heatmap, sample in zip(heatmaps.detach(), data_samples):
            sample.set_pred_heatmap(heatmap[0])
        return list(data_samples)
