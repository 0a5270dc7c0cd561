# Copyright (c) laanet contributors. All rights reserved.
"""The linear real/fake head of the classifier detectors (SBI)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_head import flip_averaged_logits, set_score_predictions

#: The loss each head size uses when the config gives none.
DEFAULT_LOSSES = {
    1: dict(type='BinaryCrossEntropyLoss', loss_weight=1.),
    2: dict(type='CrossEntropyLoss', loss_weight=1.),
}


@MODELS.register_module()
class LinearClsHead(BaseModule):
    """Dropout → Linear on pooled features: the head of SBI's classifier.

    Two layouts, one meaning downstream:

    - ``num_classes=2`` (SBI): softmax over (real, fake) with cross
      entropy; ``pred_score`` = softmax[:, 1], as SBI scores a face, and
      ``pred_logit`` = l_fake − l_real (whose sigmoid is that score).
    - ``num_classes=1``: one logit with binary cross entropy;
      ``pred_score`` = σ(logit).

    So metrics, inference and reports read ``pred_score`` (P(fake)) and
    ``pred_logit`` the same way for both, and for LAA-Net's head.

    Args:
        in_channels (int): Channels of the pooled features (1792 for B4).
        num_classes (int): 2 (softmax) or 1 (sigmoid). Defaults to 2.
        dropout_rate (float): Dropout before the linear layer (SBI's
            EfficientNet-B4: 0.4). Defaults to 0.
        loss (dict | nn.Module, optional): Defaults to cross entropy for 2
            classes and binary cross entropy for 1 (:data:`DEFAULT_LOSSES`).
        threshold (float): Score threshold of ``pred_label``. Defaults to
            0.5.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int = 2,
                 dropout_rate: float = 0.,
                 loss: Union[dict, nn.Module, None] = None,
                 threshold: float = 0.5,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_classes not in DEFAULT_LOSSES:
            raise ValueError('num_classes must be 2 (softmax) or 1 '
                             f'(sigmoid), got {num_classes}.')
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f'threshold must be in [0, 1], got {threshold}.')
        if not 0.0 <= dropout_rate < 1.0:
            raise ValueError('dropout_rate must be in [0, 1), got '
                             f'{dropout_rate}.')
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.threshold = threshold
        self.dropout = nn.Dropout(dropout_rate)
        self.fc = nn.Linear(in_channels, num_classes)
        if loss is None:
            loss = DEFAULT_LOSSES[num_classes]
        self.loss_module = (
            loss if isinstance(loss, nn.Module) else MODELS.build(loss))

    def forward(self, feats) -> torch.Tensor:
        """Logits (N, num_classes) from pooled features.

        Args:
            feats (torch.Tensor | tuple[torch.Tensor]): (N, C) features, or
                a tuple whose last entry is used.

        Returns:
            torch.Tensor: The logits.
        """
        x = feats[-1] if isinstance(feats, (tuple, list)) else feats
        if not isinstance(x, torch.Tensor) or x.dim() != 2:
            raise ValueError('LinearClsHead takes pooled (N, C) features, '
                             f'got {getattr(x, "shape", type(x))}: add a '
                             "neck=dict(type='GlobalAveragePooling').")
        return self.fc(self.dropout(x))

    def score_from_logits(self, logits: torch.Tensor) -> torch.Tensor:
        """P(fake) (N, ) from the logits of :meth:`forward`."""
        if self.num_classes == 2:
            return logits.float().softmax(dim=1)[:, 1]
        return torch.sigmoid(logits.float().reshape(-1))

    def binary_logit(self, logits: torch.Tensor) -> torch.Tensor:
        """The logit of P(fake) (N, ): l_fake − l_real, or the one logit."""
        if self.num_classes == 2:
            return logits[:, 1] - logits[:, 0]
        return logits.reshape(-1)

    def loss(self,
             feats,
             data_samples: Sequence[DeepfakeDataSample],
             train_cfg: Optional[dict] = None) -> Dict[str, torch.Tensor]:
        """``loss_cls`` and ``acc_cls`` (for logging).

        Args:
            feats: Pooled features.
            data_samples (list[DeepfakeDataSample]): With ``gt_label``.
            train_cfg (dict, optional): Unused; kept for the head API.

        Returns:
            dict[str, torch.Tensor]: The loss and the batch accuracy.
        """
        logits = self(feats)
        labels = torch.cat([s.gt_label
                            for s in data_samples]).to(logits.device)
        if labels.numel() != logits.shape[0]:
            raise ValueError('Each data sample needs exactly one gt_label.')
        if self.num_classes == 2:
            loss = self.loss_module(logits, labels)
        else:
            loss = self.loss_module(logits.reshape(-1), labels)
        with torch.no_grad():
            pred = (self.score_from_logits(logits) >= self.threshold).long()
            acc = (pred == labels).float().mean()
        return dict(loss_cls=loss, acc_cls=acc)

    def predict(self,
                feats,
                data_samples: Optional[Sequence[DeepfakeDataSample]] = None,
                test_cfg: Optional[dict] = None) -> List[DeepfakeDataSample]:
        """Predict P(fake); flip TTA averages the logits of both views.

        Args:
            feats: Pooled features, or ``[feats, feats_of_flipped_images]``.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Unused (flip is decided by the
                detector).

        Returns:
            list[DeepfakeDataSample]: Samples with ``pred_logit``,
            ``pred_score`` and ``pred_label``.
        """
        return self.predict_by_feat(
            flip_averaged_logits(self, feats), data_samples)

    def predict_by_feat(
        self,
        logits: torch.Tensor,
        data_samples: Optional[Sequence[DeepfakeDataSample]] = None
    ) -> List[DeepfakeDataSample]:
        """Fill ``pred_logit`` / ``pred_score`` / ``pred_label``."""
        logits = logits.detach()
        return set_score_predictions(data_samples, self.binary_logit(logits),
                                     self.score_from_logits(logits),
                                     self.threshold)
