# Copyright (c) laanet contributors. All rights reserved.
"""The LAA-Net detector."""
import re
from typing import List, Optional, Tuple, Union

import torch
from torch import nn

from laanet.registry import MODELS
from ..backbones.efficientnet_arch import stage_depths_of_module
from ..utils.convert_on_load import convert_on_load
from .base_deepfake_detector import BaseDeepfakeDetector
from .laanet_ckpt_convert import (convert_official_state_dict,
                                  is_official_laanet)

_SEPARATE_PW = re.compile(r'\.(pw_conv3|pw_conv5|pw_pool)\.')


@MODELS.register_module()
class LAANet(BaseDeepfakeDetector):
    """LAA-Net: Localized Artifact Attention Network (CVPR 2024).

    Wires a backbone (:class:`EfficientNet`), a neck (:class:`EFPN`) and
    up to three heads: ``heatmap_head`` (artifact heatmap),
    ``consistency_head`` (per-pixel embeddings) and ``cls_head`` (the
    real/fake logit). A head set to None is switched off. Modes, flip TTA
    and predictions follow :class:`BaseDeepfakeDetector`:

    - ``'tensor'``: a dict with keys ``heatmap`` (N, 1, h, w), ``cls``
      (N, 1) and ``consistency`` (N, C, h, w) for the heads that exist.
      Inputs must already be normalised (MMEngine's ``tensor`` mode
      bypasses the data preprocessor).
    - ``'loss'``: ``loss_heatmap``, ``loss_cls``, ``loss_consistency``
      (plus ``acc_cls``, for logging only).
    - ``'predict'``: data samples with ``pred_logit``, ``pred_score``
      (P(fake)) and, with ``output_heatmaps`` / ``output_consistency``,
      ``pred_fields.heatmap`` / ``pred_fields.consistency``.

    An official LAA-Net state dict (``PoseEfficientNet`` keys) loaded into
    this model, e.g. through ``load_from`` or ``load_checkpoint``, is
    recognised and converted on the fly (one log line says so).

    Args:
        backbone (dict): Backbone config.
        neck (dict, optional): Neck config. Defaults to None.
        heatmap_head (dict, optional): Heatmap head config.
        consistency_head (dict, optional): Consistency head config.
        cls_head (dict, optional): Classification head config.
        train_cfg (dict, optional): Passed to the heads' ``loss``.
        test_cfg (dict, optional): ``flip_test`` (average the logits, and
            heatmaps, of the image and its horizontal flip, as the official
            test does), ``output_heatmaps``, ``output_consistency``.
            Defaults to ``dict(flip_test=True)``.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='DeepfakeDataPreprocessor')``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    #: The official test flips every image.
    default_test_cfg = dict(flip_test=True)
    #: In the official order (``hm``, ``cls``, ``cstency``).
    output_names = ('heatmap', 'cls', 'consistency')

    def __init__(self,
                 backbone: dict,
                 neck: Optional[dict] = None,
                 heatmap_head: Optional[dict] = None,
                 consistency_head: Optional[dict] = None,
                 cls_head: Optional[dict] = None,
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
        self.heatmap_head = self._build(heatmap_head)
        self.consistency_head = self._build(consistency_head)
        self.cls_head = self._build(cls_head)
        if not (self.heatmap_head or self.consistency_head or self.cls_head):
            raise ValueError('LAANet needs at least one head.')
        convert_on_load(self, 'official LAA-Net', is_official_laanet,
                        self._convert_official)

    @property
    def with_neck(self) -> bool:
        """bool: Whether the model has a neck."""
        return self.neck is not None

    def _convert_official(self, state_dict: dict) -> dict:
        """Official LAA-Net keys → this model's keys."""
        converted = convert_official_state_dict(
            state_dict, stage_depths=stage_depths_of_module(self.backbone))
        # A neck with separate inception 1x1 convs gets copies of the
        # shared official one.
        for name in self.state_dict():
            if name not in converted and _SEPARATE_PW.search(name):
                shared = _SEPARATE_PW.sub('.pw.', name)
                if shared in converted:
                    converted[name] = converted[shared].clone()
        return converted

    def extract_feat(self,
                     inputs: torch.Tensor,
                     stage: str = 'neck') -> Tuple[torch.Tensor, ...]:
        """Extract features.

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            stage (str): ``'backbone'`` or ``'neck'``. Defaults to
                ``'neck'``.

        Returns:
            tuple[torch.Tensor]: The features of that stage.
        """
        if stage not in ('backbone', 'neck'):
            raise ValueError(f'stage must be "backbone" or "neck", got '
                             f'{stage!r}.')
        x = self.backbone(inputs)
        if stage == 'neck' and self.with_neck:
            x = self.neck(x)
        return x
