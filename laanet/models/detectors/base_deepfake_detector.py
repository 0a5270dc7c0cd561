# Copyright (c) laanet contributors. All rights reserved.
"""What every laanet detector shares: building, mode dispatch, SAM."""
from typing import List, Optional, Union

import torch
from mmengine.model import BaseModel
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample

SampleList = List[DeepfakeDataSample]


class BaseDeepfakeDetector(BaseModel):
    """Base class of the detectors (:class:`LAANet`,
    :class:`DeepfakeClassifier`).

    Owns the parts the detectors share, so that metrics, inference,
    reports and the SAM engine treat every method alike:

    - the default data preprocessor (``DeepfakeDataPreprocessor``);
    - :meth:`forward`'s dispatch to ``_forward`` (``'tensor'``: a dict of
      raw head outputs holding at least ``cls``, the real/fake logits),
      ``loss`` and ``predict`` (data samples with ``pred_logit``,
      ``pred_score`` = P(fake) and ``pred_label``);
    - :meth:`train_step`, which runs SAM's two passes when the optimizer is
      :class:`~laanet.engine.optimizers.SAM`;
    - ``test_cfg``: ``flip_test`` (average the logits of the image and its
      horizontal flip) and what subclasses add.

    Subclasses implement ``_forward``, ``loss`` and ``predict`` and have a
    ``cls_head`` whose ``score_from_logits`` turns the ``cls`` output into
    P(fake) (the ONNX export relies on both).

    Args:
        data_preprocessor (dict | nn.Module, optional): Defaults to
            ``dict(type='DeepfakeDataPreprocessor')``.
        test_cfg (dict, optional): Updates ``default_test_cfg``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    #: ``test_cfg`` entries a config does not set.
    default_test_cfg: dict = dict(flip_test=False)

    def __init__(self,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 test_cfg: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='DeepfakeDataPreprocessor')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = dict(data_preprocessor)
            data_preprocessor.setdefault('type', 'DeepfakeDataPreprocessor')
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.test_cfg = dict(self.default_test_cfg)
        self.test_cfg.update(test_cfg or {})

    @staticmethod
    def _build(cfg) -> Optional[nn.Module]:
        """Build a part from a config dict (None stays None)."""
        if cfg is None or isinstance(cfg, nn.Module):
            return cfg
        return MODELS.build(cfg)

    def train_step(self, data, optim_wrapper):
        """One training step; SAM's two passes when the optimizer is SAM.

        Args:
            data (dict | tuple | list): A batch from the dataloader.
            optim_wrapper (OptimWrapper): The optimizer wrapper.

        Returns:
            dict[str, torch.Tensor]: The log variables.
        """
        # Imported here, not at the top: laanet.models stays importable
        # without the training machinery (models -> engine is the one
        # arrow into engine).
        from laanet.engine.optimizers.sam_step import (is_sam_optim_wrapper,
                                                       sam_train_step)
        if is_sam_optim_wrapper(optim_wrapper):
            return sam_train_step(self, data, optim_wrapper)
        return super().train_step(data, optim_wrapper)

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'):
        """Dispatch to ``tensor``, ``loss`` or ``predict``.

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            data_samples (list[DeepfakeDataSample], optional): Targets
                (``loss``) or samples to fill (``predict``).
            mode (str): ``'tensor'``, ``'loss'`` or ``'predict'``.

        Returns:
            dict | list[DeepfakeDataSample]: Raw outputs, losses or
            predicted samples.
        """
        if mode == 'tensor':
            return self._forward(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}"; use "tensor", "loss" or '
                           '"predict".')

    @staticmethod
    def check_loss_samples(inputs: torch.Tensor,
                           data_samples: Optional[SampleList]) -> None:
        """Raise unless there is one data sample per image."""
        if data_samples is None or len(data_samples) != inputs.shape[0]:
            raise ValueError('loss mode needs one data sample per image.')
