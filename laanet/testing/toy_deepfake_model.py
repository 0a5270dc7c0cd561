# Copyright (c) laanet contributors. All rights reserved.
"""A tiny deepfake detector for engine tests (conv + BN, seconds on CPU)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper
from torch import nn

from laanet.engine.optimizers import is_sam_optim_wrapper, sam_train_step
from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample


@MODELS.register_module()
class ToyDeepfakeModel(BaseModel):
    """A conv + BN "backbone", a linear classifier and a 1×1 heatmap conv
    at a quarter of the input size (``loss_cls`` + ``loss_hm``).

    Its ``train_step`` delegates to :func:`laanet.engine.sam_train_step`
    for a SAM optimizer exactly as ``LAANet.train_step`` does, so the engine
    can be tested without the real model.

    Args:
        channels (int): Width of the backbone. Defaults to 4.
        dropout (float): Dropout before the classifier. Defaults to 0.
        data_preprocessor (dict, optional): Defaults to mmengine's
            ``ImgDataPreprocessor`` normalising BGR uint8 to RGB in [-1, 1].
        test_cfg (dict, optional): ``flip_test`` (bool) averages the logits
            of the image and its horizontal flip. Defaults to None.
    """

    def __init__(self,
                 channels: int = 4,
                 dropout: float = 0.0,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='ImgDataPreprocessor',
                mean=[127.5] * 3,
                std=[127.5] * 3,
                bgr_to_rgb=True)
        super().__init__(data_preprocessor=data_preprocessor)
        self.backbone = nn.Sequential(
            nn.Conv2d(3, channels, 3, padding=1), nn.BatchNorm2d(channels),
            nn.ReLU())
        self.dropout = nn.Dropout(dropout)
        self.cls = nn.Linear(channels, 1)
        self.hm = nn.Conv2d(channels, 1, 1)
        self.test_cfg = dict(test_cfg or {})

    def _logits(self, inputs: torch.Tensor):
        feats = self.backbone(inputs)
        logit = self.cls(self.dropout(feats.mean(dim=(2, 3)))).squeeze(1)
        return logit, self.hm(F.avg_pool2d(feats, 4))

    def forward(
        self,
        inputs: torch.Tensor,
        data_samples: Optional[List[DeepfakeDataSample]] = None,
        mode: str = 'tensor'
    ) -> Union[torch.Tensor, Dict, List[DeepfakeDataSample]]:
        """``tensor`` → logits, ``loss`` → ``loss_cls`` and ``loss_hm``
        (needs ``gt_fields.heatmap``), ``predict`` →
        data samples with ``pred_score``, ``pred_logit`` and
        ``pred_fields.heatmap``."""
        if mode == 'tensor':
            return self._logits(inputs)[0]
        if mode == 'loss':
            logit, hm = self._logits(inputs)
            labels = torch.cat([s.gt_label for s in data_samples]).float()
            gt_hm = torch.stack([s.gt_fields.heatmap
                                 for s in data_samples]).to(hm)
            return dict(
                loss_cls=F.binary_cross_entropy_with_logits(logit, labels),
                loss_hm=F.binary_cross_entropy_with_logits(hm, gt_hm))
        if mode == 'predict':
            logit, hm = self._logits(inputs)
            if self.test_cfg.get('flip_test', False):
                logit_f, hm_f = self._logits(inputs.flip(dims=(3, )))
                logit = (logit + logit_f) / 2
                hm = (hm + hm_f.flip(dims=(3, ))) / 2
            if data_samples is None:
                data_samples = [DeepfakeDataSample() for _ in logit]
            for sample, lg, h in zip(data_samples, logit, hm):
                score = torch.sigmoid(lg)
                sample.set_pred_logit(lg.detach())
                sample.set_pred_score(score.detach())
                sample.set_pred_heatmap(torch.sigmoid(h).detach())
            return data_samples
        raise RuntimeError(f'Invalid mode "{mode}".')

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """SAM's two-pass step for a SAM optimizer, the usual one
        otherwise."""
        if is_sam_optim_wrapper(optim_wrapper):
            return sam_train_step(self, data, optim_wrapper)
        return super().train_step(data, optim_wrapper)
