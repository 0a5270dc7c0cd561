# Copyright (c) laanet contributors. All rights reserved.
"""The head contract every detector head follows (all methods)."""
from typing import List, Optional, Sequence, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample

Feats = Union[torch.Tensor, Sequence[torch.Tensor]]


class BaseHead(BaseModule):
    """Base class of the heads of every detector.

    A head turns the detector's features into one named output (the
    detector names it, e.g. ``cls``, ``heatmap``): ``forward(feats)`` gives
    the raw output (logits), ``loss(feats, data_samples)`` its losses
    (``loss_by_feat``), and ``predict_by_feat(output, data_samples)`` writes
    the prediction into the data samples. Between the two sits
    :meth:`activate` (raw output → the form that is predicted: logits stay
    logits, heatmap logits become probabilities), and flip test-time
    augmentation, which the detector runs once for all heads
    (:meth:`~laanet.models.detectors.BaseDeepfakeDetector.predict_outputs`)
    and which merges the two views' activated outputs by the head's
    :attr:`flip_merge` rule.

    Args:
        loss (dict | nn.Module, optional): The loss. A dict is built with
            ``MODELS``; None makes a prediction-only head.
        init_cfg (dict | list[dict], optional): Initialisation config.
            Defaults to None.
    """

    #: How flip TTA merges the activated outputs of an image (``a``) and
    #: of its horizontal flip (``b``): ``'mean'`` ((a + b) / 2, for
    #: logits), ``'mean_unflip'`` ((a + b flipped back along the width) / 2,
    #: for maps) or ``'first'`` (a only).
    flip_merge: str = 'mean'
    #: The ``test_cfg`` switch that asks for this head's prediction; None:
    #: always predicted.
    predict_flag: Optional[str] = None
    #: The pipeline transforms that make the ``gt_fields`` targets (named
    #: by :meth:`stack_gt_field` when one is missing).
    target_transforms: str = 'GenerateBlendTargets'

    def __init__(self,
                 loss: Union[dict, nn.Module, None] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if loss is None or isinstance(loss, nn.Module):
            self.loss_module = loss
        else:
            self.loss_module = MODELS.build(loss)

    def _check_loss(self) -> None:
        """Raise when ``loss`` is called on a head built without a loss."""
        if self.loss_module is None:
            raise RuntimeError(f'{type(self).__name__} was built with '
                               'loss=None, so it cannot compute a loss.')

    @staticmethod
    def last_feat(feats: Feats) -> torch.Tensor:
        """The (last) feature map from a tensor or a tuple of maps."""
        if isinstance(feats, torch.Tensor):
            return feats
        if isinstance(feats, (tuple, list)) and feats:
            return feats[-1]
        raise TypeError('A head takes a tensor or a non-empty tuple of '
                        f'tensors, but got {type(feats)}.')

    def activate(self, output: torch.Tensor) -> torch.Tensor:
        """The raw output in the form that is predicted (identity here).

        Args:
            output (torch.Tensor): What :meth:`forward` returned.

        Returns:
            torch.Tensor: The output to merge (flip TTA) and predict.
        """
        return output

    def loss_by_feat(self, output: torch.Tensor,
                     data_samples: Sequence[DeepfakeDataSample]) -> dict:
        """The losses of a raw output (subclasses implement it)."""
        raise NotImplementedError(
            f'{type(self).__name__} must implement loss_by_feat.')

    def predict_by_feat(self, output: torch.Tensor,
                        data_samples: Sequence[DeepfakeDataSample]
                        ) -> List[DeepfakeDataSample]:
        """Write an activated output into the samples (subclasses
        implement it)."""
        raise NotImplementedError(
            f'{type(self).__name__} must implement predict_by_feat.')

    def loss(self,
             feats: Feats,
             data_samples: Sequence[DeepfakeDataSample],
             train_cfg: Optional[dict] = None) -> dict:
        """Run :meth:`forward`, then the subclass's ``loss_by_feat``.

        Args:
            feats: The detector's features.
            data_samples (list[DeepfakeDataSample]): Samples with targets.
            train_cfg (dict, optional): Unused; kept for the head API.

        Returns:
            dict: The head's losses (keys starting with ``loss_``).
        """
        return self.loss_by_feat(self(feats), data_samples)

    def predict(self,
                feats: Feats,
                data_samples: Optional[Sequence[DeepfakeDataSample]] = None,
                test_cfg: Optional[dict] = None) -> List[DeepfakeDataSample]:
        """Predict from features of one view (no flip TTA: the detector
        runs it, :meth:`BaseDeepfakeDetector.predict_outputs`).

        Args:
            feats: The detector's features.
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Unused; kept for the head API.

        Returns:
            list[DeepfakeDataSample]: The filled samples.
        """
        output = self.activate(self(feats))
        if data_samples is None:
            data_samples = [DeepfakeDataSample() for _ in range(len(output))]
        return self.predict_by_feat(output, data_samples)

    @classmethod
    def stack_gt_field(cls, data_samples: Sequence[DeepfakeDataSample],
                       name: str) -> torch.Tensor:
        """Stack ``gt_fields.<name>`` of all samples to (N, 1, h, w).

        Raises:
            KeyError: Naming the field, the first sample without it and
                the transform that makes it (:attr:`target_transforms`).
        """
        maps = []
        for i, sample in enumerate(data_samples):
            if 'gt_fields' not in sample or name not in sample.gt_fields:
                raise KeyError(
                    f'Data sample {i} ({sample.metainfo.get("img_path")}) '
                    f'has no gt_fields.{name}: the training pipeline must '
                    f'produce it ({cls.target_transforms}).')
            maps.append(getattr(sample.gt_fields, name))
        return torch.stack(maps)
