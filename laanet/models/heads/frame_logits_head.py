# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's per-frame head (the official ``temp_loc``)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import BaseHead


@MODELS.register_module()
class FrameLogitsHead(BaseHead):
    """One logit per frame from per-frame tokens (output ``temporal``).

    ``fc1`` = Linear(C → C/4) → GELU → Dropout per frame, the T results
    concatenated, ``fc_out`` Linear(T·C/4 → T). The official ``fc_out`` is
    built with the input width C, which equals T·C/4 only for T = 4 (the
    released models); here it is built with T·C/4, the same layer at
    T = 4 and a working one at other T.

    The loss (``loss_temporal``, BCE with logits on soft targets, official
    weight 0.2) reads the tensor field ``gt_frame_scores`` (T, ) of each
    sample; ``predict`` writes ``pred_frame_logits`` (T, ) (flip TTA
    averages them).

    Args:
        in_channels (int): Token width. Defaults to 768.
        num_frames (int): T. Defaults to 4.
        hidden_channels (int, optional): Defaults to ``in_channels // 4``.
        dropout_rate (float): Dropout after the GELU. Defaults to 0.2.
        in_key (str): The backbone output to read. Defaults to
            ``'frame_tokens'``.
        loss (dict | nn.Module, optional): Defaults to
            ``dict(type='BinaryCrossEntropyLoss', loss_weight=0.2)``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 768,
                 num_frames: int = 4,
                 hidden_channels: Optional[int] = None,
                 dropout_rate: float = 0.2,
                 in_key: str = 'frame_tokens',
                 loss: Union[dict, nn.Module, None] = dict(
                     type='BinaryCrossEntropyLoss', loss_weight=0.2),
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(loss=loss, init_cfg=init_cfg)
        hidden = hidden_channels or in_channels // 4
        self.num_frames = num_frames
        self.in_key = in_key
        self.fc1 = nn.Sequential(
            nn.Linear(in_channels, hidden), nn.GELU(),
            nn.Dropout(dropout_rate))
        self.fc_out = nn.Linear(num_frames * hidden, num_frames)

    def forward(self, feats: dict) -> torch.Tensor:
        """Frame logits (N, T) from ``feats[in_key]`` (N, T, C)."""
        x = feats[self.in_key]
        if x.dim() != 3 or x.shape[1] != self.num_frames:
            raise ValueError(f'FrameLogitsHead takes (N, {self.num_frames}, '
                             f'C) frame tokens, got {tuple(x.shape)}.')
        return self.fc_out(self.fc1(x).flatten(1))

    def loss_by_feat(
            self, logits: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """``loss_temporal`` against ``gt_frame_scores``."""
        self._check_loss()
        targets = []
        for i, sample in enumerate(data_samples):
            if 'gt_frame_scores' not in sample:
                raise KeyError(
                    f'Data sample {i} ({sample.metainfo.get("img_path")}) '
                    'has no gt_frame_scores: the clip pipeline must produce '
                    'the per-frame targets.')
            targets.append(sample.gt_frame_scores.reshape(-1))
        target = torch.stack(targets).to(logits)
        if target.shape != logits.shape:
            raise ValueError(f'gt_frame_scores {tuple(target.shape)} do not '
                             f'fit the logits {tuple(logits.shape)}.')
        return dict(loss_temporal=self.loss_module(logits, target))

    def predict_by_feat(
        self, logits: torch.Tensor,
        data_samples: Sequence[DeepfakeDataSample]
    ) -> List[DeepfakeDataSample]:
        """Store ``pred_frame_logits`` (T, )."""
        for logit, sample in zip(logits.detach(), data_samples):
            sample.set_field(logit.float(), 'pred_frame_logits',
                             dtype=torch.Tensor)
        return list(data_samples)
