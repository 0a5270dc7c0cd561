# Copyright (c) laanet contributors. All rights reserved.
"""The per-frame logit head of :class:`ToyClipModel` (tests only)."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from laanet.models.heads.base_head import BaseHead
from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample


@MODELS.register_module()
class ToyTemporalHead(BaseHead):
    """Per-frame logits (N, T) from the (N, C, T, h, w) map: spatial mean,
    then a linear layer per frame; predicted as ``pred_frame_logits``
    (T, ), the FakeSTormer contract's field.

    Args:
        in_channels (int): Channels of the map.
    """

    def __init__(self, in_channels: int) -> None:
        super().__init__(loss=None)
        self.fc = nn.Linear(in_channels, 1)

    def forward(self, feats) -> torch.Tensor:
        """(N, T) frame logits."""
        x = feats[0].mean(dim=(3, 4)).transpose(1, 2)  # N, T, C
        return self.fc(x).squeeze(-1)

    def loss_by_feat(self, logits: torch.Tensor,
                     data_samples: Sequence[DeepfakeDataSample]
                     ) -> Dict[str, torch.Tensor]:
        """BCE against ``gt_frame_scores`` (T, ) of each sample."""
        target = torch.stack([s.gt_frame_scores for s in data_samples])
        return dict(loss_temporal=F.binary_cross_entropy_with_logits(
            logits, target.to(logits)))

    def predict_by_feat(
        self, logits: torch.Tensor,
        data_samples: Optional[Sequence[DeepfakeDataSample]] = None
    ) -> List[DeepfakeDataSample]:
        """Store each clip's (T, ) logits as ``pred_frame_logits``."""
        for logit, sample in zip(logits.detach(), data_samples):
            sample.set_field(logit, 'pred_frame_logits', dtype=torch.Tensor)
        return list(data_samples)
