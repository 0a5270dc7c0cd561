# Copyright (c) laanet contributors. All rights reserved.
"""A binary real/fake image classifier (SBI and the classifier baselines)."""
from typing import List, Optional, Tuple, Union

import torch
from torch import nn

from laanet.registry import MODELS
from ..backbones.efficientnet_arch import stage_depths_of_module
from ..utils.convert_on_load import convert_on_load
from .base_deepfake_detector import BaseDeepfakeDetector
from .sbi_ckpt_convert import (check_state_dict_matches,
                               convert_sbi_state_dict, is_official_sbi)


@MODELS.register_module()
class DeepfakeClassifier(BaseDeepfakeDetector):
    """Backbone → global pooling → dropout → linear: P(fake) of a face.

    The detector of SBI (Self-Blended Images, Shiohara and Yamasaki, CVPR
    2022: an EfficientNet-B4 with a 2-logit softmax head trained with
    cross entropy) and of the classifier baselines (any timm model through
    :class:`~laanet.models.backbones.TIMMBackbone`, a 1-logit sigmoid head
    with binary cross entropy). Both heads give the same outputs
    downstream (:class:`~laanet.models.heads.LinearClsHead`).

    Modes of :meth:`forward` (:class:`BaseDeepfakeDetector`): ``'tensor'``
    returns ``dict(cls=logits)`` (N, num_classes); ``'loss'``
    ``loss_cls`` and ``acc_cls``; ``'predict'`` data samples with
    ``pred_logit`` and ``pred_score`` (P(fake)).

    An official SBI file (``{'model': {'net._conv_stem.weight', ...,
    'net._fc.weight'}, 'optimizer': ..., 'epoch': ...}``) loaded into this
    model (``load_from``, ``init_model``, ``load_checkpoint``) is
    recognised and converted on the fly; one that does not fit (another
    arch, a partial file) raises an error naming the missing, unexpected
    and mis-shaped keys.

    Args:
        backbone (dict): Backbone config; it returns a tuple of maps.
        neck (dict, optional): Defaults to
            ``dict(type='GlobalAveragePooling')``.
        cls_head (dict): :class:`LinearClsHead` config.
        train_cfg (dict, optional): Passed to the head's ``loss``.
        test_cfg (dict, optional): ``flip_test`` (average the logits of
            the image and its flip; SBI: off). Defaults to
            ``dict(flip_test=False)``.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='DeepfakeDataPreprocessor')`` (SBI's configs set
            mean 0, std 255: inputs in [0, 1]).
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 neck: Optional[dict] = dict(type='GlobalAveragePooling'),
                 train_cfg: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 data_preprocessor: Optional[Union[dict, nn.Module]] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor,
            train_cfg=train_cfg,
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.backbone = self._build(backbone)
        self.neck = self._build(neck)
        self.cls_head = self._build(cls_head)
        convert_on_load(
            self,
            'official SBI',
            is_official_sbi,
            self._convert_sbi,
            check=self._check_fits)

    def _convert_sbi(self, checkpoint: dict) -> dict:
        """An official SBI file (or its ``model`` entry) → this model's
        keys."""
        return convert_sbi_state_dict(
            checkpoint, stage_depths=stage_depths_of_module(self.backbone))

    def _check_fits(self, converted: dict) -> None:
        """Raise, naming every offending key, unless ``converted`` fits."""
        check_state_dict_matches(converted, self.state_dict())

    def extract_feat(self, inputs: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Pooled features of the backbone's maps.

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).

        Returns:
            tuple[torch.Tensor]: (N, C) features (with the default neck).
        """
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats
