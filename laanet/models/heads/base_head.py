# Copyright (c) laanet contributors. All rights reserved.
"""Common parts of LAA-Net's three heads."""
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample

Feats = Union[torch.Tensor, Sequence[torch.Tensor]]


class BaseLAAHead(BaseModule):
    """A 3×3 conv (with bias) → BN → ReLU stem shared by the three heads.

    Subclasses add their output layer, ``forward``, ``loss_by_feat`` and
    ``predict_by_feat``. ``loss(feats, data_samples)`` and
    ``predict(feats, data_samples, test_cfg)`` run ``forward`` first.

    Args:
        in_channels (int): Channels of the neck output. Defaults to 112.
        feat_channels (int): Channels of the 3×3 conv (official
            ``head_conv``). Defaults to 64.
        loss (dict | nn.Module): The loss. A dict is built with
            ``MODELS``.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: int = 112,
                 feat_channels: int = 64,
                 loss: Union[dict, nn.Module, None] = None,
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.feat_channels = feat_channels
        self.conv = nn.Conv2d(
            in_channels, feat_channels, 3, padding=1, bias=True)
        self.bn = nn.BatchNorm2d(feat_channels, momentum=bn_momentum)
        self.relu = nn.ReLU(inplace=True)
        if loss is None:
            self.loss_module = None
        elif isinstance(loss, nn.Module):
            self.loss_module = loss
        else:
            self.loss_module = MODELS.build(loss)

    def loss(self,
             feats: Feats,
             data_samples: Sequence[DeepfakeDataSample],
             train_cfg: Optional[dict] = None) -> dict:
        """Run :meth:`forward`, then the subclass's ``loss_by_feat``.

        Args:
            feats: Neck features (a tensor or a tuple of maps).
            data_samples (list[DeepfakeDataSample]): Samples with targets.
            train_cfg (dict, optional): Unused; kept for the head API.

        Returns:
            dict: The head's losses (keys starting with ``loss_``).
        """
        return self.loss_by_feat(self(feats), data_samples)

    @staticmethod
    def _last_feat(feats: Feats) -> torch.Tensor:
        """The (single) neck map from a tensor or a tuple of maps."""
        if isinstance(feats, torch.Tensor):
            return feats
        if isinstance(feats, (tuple, list)) and feats:
            return feats[-1]
        raise TypeError('A head takes a tensor or a non-empty tuple of '
                        f'tensors, but got {type(feats)}.')

    def stem(self, feats: Feats) -> torch.Tensor:
        """Apply the 3×3 conv → BN → ReLU stem to the neck output."""
        return self.relu(self.bn(self.conv(self._last_feat(feats))))

    def _check_loss(self) -> None:
        """Raise when ``loss`` is called on a head built without a loss."""
        if self.loss_module is None:
            raise RuntimeError(f'{type(self).__name__} was built with '
                               'loss=None, so it cannot compute a loss.')

    @staticmethod
    def stack_gt_field(data_samples: Sequence[DeepfakeDataSample],
                       name: str) -> torch.Tensor:
        """Stack ``gt_fields.<name>`` of all samples to (N, 1, h, w).

        Raises:
            KeyError: Naming the field and the first sample without it.
        """
        maps = []
        for i, sample in enumerate(data_samples):
            if 'gt_fields' not in sample or name not in sample.gt_fields:
                raise KeyError(
                    f'Data sample {i} ({sample.metainfo.get("img_path")}) '
                    f'has no gt_fields.{name}: the training pipeline must '
                    'produce it (GenerateBlendTargets).')
            maps.append(getattr(sample.gt_fields, name))
        return torch.stack(maps)

    @staticmethod
    def split_flip(feats) -> Tuple[Feats, Optional[Feats]]:
        """Split ``[feats, feats_flipped]`` given for flip TTA."""
        if (isinstance(feats, list) and len(feats) == 2
                and isinstance(feats[0], (tuple, list, torch.Tensor))
                and isinstance(feats[1], (tuple, list, torch.Tensor))
                and not isinstance(feats[0], torch.Tensor)):
            return feats[0], feats[1]
        return feats, None


def flip_averaged_logits(head: nn.Module, feats) -> torch.Tensor:
    """A classification head's logits, averaged over the two views when
    ``feats`` is ``[feats, feats_of_flipped_images]`` (flip TTA).

    Args:
        head (nn.Module): A head whose ``forward`` returns logits.
        feats: Features, or the two views' features.

    Returns:
        torch.Tensor: The (averaged) logits.
    """
    feats, feats_flip = BaseLAAHead.split_flip(feats)
    logits = head(feats)
    if feats_flip is not None:
        logits = (logits + head(feats_flip)) / 2
    return logits


def set_score_predictions(
        data_samples: Optional[Sequence[DeepfakeDataSample]],
        logits: torch.Tensor, scores: torch.Tensor,
        threshold: float) -> List[DeepfakeDataSample]:
    """Set ``pred_logit``, ``pred_score`` (P(fake)) and ``pred_label``.

    Args:
        data_samples (list[DeepfakeDataSample], optional): Samples to
            fill; new ones are made when None.
        logits (torch.Tensor): One logit of P(fake) per sample (N,).
        scores (torch.Tensor): P(fake) per sample (N,).
        threshold (float): ``pred_label`` is 1 when the score reaches it.

    Returns:
        list[DeepfakeDataSample]: The filled samples.
    """
    if data_samples is None:
        data_samples = [DeepfakeDataSample() for _ in range(len(scores))]
    for logit, score, sample in zip(logits, scores, data_samples):
        sample.set_pred_logit(logit)
        sample.set_pred_score(score)
        sample.set_pred_label(int(score >= threshold))
    return list(data_samples)
