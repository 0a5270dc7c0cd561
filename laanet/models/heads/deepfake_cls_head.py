# Copyright (c) laanet contributors. All rights reserved.
"""The real/fake classification head of LAA-Net."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import (BaseLAAHead, Feats, flip_averaged_logits,
                        set_score_predictions)


@MODELS.register_module()
class DeepfakeClsHead(BaseLAAHead):
    """Binary real/fake classifier (official ``cls`` head).

    3×3 conv (bias) → BN → ReLU → global average pool → Linear(64 → 1),
    one logit per image (P(fake) = σ(logit), :meth:`score_from_logits`).
    ``predict`` sets
    ``pred_logit``, ``pred_score`` and ``pred_label``; given
    ``[feats, feats_of_flipped_images]`` (flip TTA) it averages the two
    logits first, as the official test does.

    Args:
        in_channels (int): Neck channels. Defaults to 112.
        feat_channels (int): Hidden channels. Defaults to 64.
        loss (dict | nn.Module): Defaults to
            ``dict(type='BinaryCrossEntropyLoss', loss_weight=1.)``.
        threshold (float): Score threshold of ``pred_label``. Defaults to
            0.5.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 loss: Union[dict, nn.Module, None] = dict(
                     type='BinaryCrossEntropyLoss', loss_weight=1.),
                 threshold: float = 0.5,
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(in_channels, feat_channels, loss, bn_momentum,
                         init_cfg)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f'threshold must be in [0, 1], got {threshold}.')
        self.threshold = threshold
        self.fc = nn.Linear(feat_channels, 1)

    def forward(self, feats: Feats) -> torch.Tensor:
        """Return logits (N, 1)."""
        return self.fc(self.stem(feats).mean(dim=(2, 3)))

    def loss_by_feat(
            self, logits: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """Compute ``loss_cls`` and ``acc_cls`` from logits (N, 1)."""
        self._check_loss()
        labels = torch.cat([s.gt_label
                            for s in data_samples]).to(logits.device)
        if labels.numel() != logits.shape[0]:
            raise ValueError('Each data sample needs exactly one gt_label.')
        loss = self.loss_module(logits.reshape(-1), labels)
        with torch.no_grad():
            pred = (torch.sigmoid(logits.reshape(-1)) >= self.threshold).long()
            acc = (pred == labels).float().mean()
        return dict(loss_cls=loss, acc_cls=acc)

    def predict(self,
                feats,
                data_samples: Optional[Sequence[DeepfakeDataSample]] = None,
                test_cfg: Optional[dict] = None) -> List[DeepfakeDataSample]:
        """Predict P(fake), flip-averaging logits when given two inputs.

        Args:
            feats: Neck features, or ``[feats, feats_of_flipped_images]``.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Unused here (flip is decided by the
                detector).

        Returns:
            list[DeepfakeDataSample]: Samples with ``pred_logit``,
            ``pred_score`` and ``pred_label``.
        """
        return self.predict_by_feat(
            flip_averaged_logits(self, feats), data_samples)

    @staticmethod
    def score_from_logits(logits: torch.Tensor) -> torch.Tensor:
        """P(fake) from logits: the sigmoid of the one logit per image.

        Every detector head has this method (the contract that
        :class:`~laanet.apis.DeployModel` relies on to export any
        detector); it works on traced graphs too.

        Args:
            logits (torch.Tensor): Logits (N, 1) or (N,).

        Returns:
            torch.Tensor: P(fake), (N,).
        """
        return torch.sigmoid(logits.float()).reshape(-1)

    def predict_by_feat(
        self,
        logits: torch.Tensor,
        data_samples: Optional[Sequence[DeepfakeDataSample]] = None
    ) -> List[DeepfakeDataSample]:
        """Fill ``pred_logit`` / ``pred_score`` / ``pred_label``."""
        logits = logits.detach().reshape(-1)
        return set_score_predictions(data_samples, logits,
                                     self.score_from_logits(logits),
                                     self.threshold)
