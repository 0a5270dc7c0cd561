# Copyright (c) laanet contributors. All rights reserved.
"""The binary real/fake classification contract of every method."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from torch import nn

from laanet.structures import DeepfakeDataSample
from .base_head import BaseHead, Feats

#: The loss each number of logits uses when a config gives none.
DEFAULT_LOSSES = {
    1: dict(type='BinaryCrossEntropyLoss', loss_weight=1.),
    2: dict(type='CrossEntropyLoss', loss_weight=1.),
}


class BaseBinaryClsHead(BaseHead):
    """Base class of the real/fake classification heads (output ``cls``).

    ``forward(feats) = fc(pre_logits(feats))``: a subclass builds its
    layers and ``fc`` and implements :meth:`pre_logits` (LAA-Net: conv stem
    and global average pooling; SBI: dropout on pooled features), as
    mmpretrain's ``ClsHead`` does. Everything downstream of the logits is
    here, the same for every method:

    - two layouts of the logits: ``num_classes=1`` (one logit, P(fake) =
      σ(logit), binary cross entropy) or ``num_classes=2`` (softmax over
      (real, fake), P(fake) = softmax[:, 1], cross entropy);
    - :meth:`score_from_logits` (logits → P(fake), traceable: the ONNX
      export uses it) and :meth:`binary_logit` (the logit of P(fake));
    - :meth:`loss_by_feat`: ``loss_cls`` and ``acc_cls`` (logged only, at
      P(fake) ≥ 0.5);
    - :meth:`predict_by_feat`: ``pred_logit`` and ``pred_score`` (P(fake)).
      The real/fake decision is the metric's (its ``threshold``), so the
      head sets no label.

    Args:
        num_classes (int): 1 (sigmoid) or 2 (softmax). Defaults to 1.
        loss (dict | nn.Module, optional): The loss; None builds a
            prediction-only head. Defaults to None.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 num_classes: int = 1,
                 loss: Union[dict, nn.Module, None] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if num_classes not in DEFAULT_LOSSES:
            raise ValueError('num_classes must be 2 (softmax) or 1 '
                             f'(sigmoid), got {num_classes}.')
        super().__init__(loss=loss, init_cfg=init_cfg)
        self.num_classes = num_classes

    def pre_logits(self, feats: Feats) -> torch.Tensor:
        """The (N, C) features the final ``fc`` classifies."""
        raise NotImplementedError(
            f'{type(self).__name__} must implement pre_logits.')

    def forward(self, feats: Feats) -> torch.Tensor:
        """Logits (N, num_classes)."""
        return self.fc(self.pre_logits(feats))

    def score_from_logits(self, logits: torch.Tensor) -> torch.Tensor:
        """P(fake) (N, ) from the logits of :meth:`forward`.

        Every detector's ``cls_head`` has it: it is the one rule that
        turns logits into P(fake), for ``predict`` and for the exported
        graph (:class:`DeployModel`); it works on traced graphs.

        Args:
            logits (torch.Tensor): (N, num_classes) (or (N, ) for one).

        Returns:
            torch.Tensor: P(fake), float (N, ).
        """
        if self.num_classes == 2:
            return logits.float().softmax(dim=1)[:, 1]
        return torch.sigmoid(logits.float()).reshape(-1)

    def binary_logit(self, logits: torch.Tensor) -> torch.Tensor:
        """The logit of P(fake) (N, ): l_fake − l_real, or the one logit."""
        if self.num_classes == 2:
            return logits[:, 1] - logits[:, 0]
        return logits.reshape(-1)

    def loss_by_feat(
            self, logits: torch.Tensor,
            data_samples: Sequence[DeepfakeDataSample]
    ) -> Dict[str, torch.Tensor]:
        """``loss_cls`` and ``acc_cls`` (for logging) from the logits.

        Args:
            logits (torch.Tensor): (N, num_classes).
            data_samples (list[DeepfakeDataSample]): With ``gt_label``.

        Returns:
            dict[str, torch.Tensor]: The loss and the batch accuracy.
        """
        self._check_loss()
        labels = torch.cat([s.gt_label
                            for s in data_samples]).to(logits.device)
        if labels.numel() != logits.shape[0]:
            raise ValueError('Each data sample needs exactly one gt_label.')
        if self.num_classes == 2:
            loss = self.loss_module(logits, labels)
        else:
            loss = self.loss_module(logits.reshape(-1), labels)
        with torch.no_grad():
            pred = (self.score_from_logits(logits) >= 0.5).long()
            acc = (pred == labels).float().mean()
        return dict(loss_cls=loss, acc_cls=acc)

    def predict_by_feat(
        self,
        logits: torch.Tensor,
        data_samples: Optional[Sequence[DeepfakeDataSample]] = None
    ) -> List[DeepfakeDataSample]:
        """Set ``pred_logit`` and ``pred_score`` (P(fake)).

        Args:
            logits (torch.Tensor): (N, num_classes), flip-averaged with
                flip TTA.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.

        Returns:
            list[DeepfakeDataSample]: The filled samples.
        """
        logits = logits.detach()
        scores = self.score_from_logits(logits)
        if data_samples is None:
            data_samples = [DeepfakeDataSample() for _ in range(len(scores))]
        for logit, score, sample in zip(
                self.binary_logit(logits), scores, data_samples):
            sample.set_pred_logit(logit)
            sample.set_pred_score(score)
        return list(data_samples)
