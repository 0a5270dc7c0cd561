# Copyright (c) laanet contributors. All rights reserved.
"""The LAA-Net detector."""
import re
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import print_log
from torch import nn

from laanet.registry import MODELS
from laanet.structures import DeepfakeDataSample
from .base_deepfake_detector import BaseDeepfakeDetector, SampleList
from .laanet_ckpt_convert import (convert_official_state_dict,
                                  is_official_laanet)
_SEPARATE_PW = re.compile(r'\.(pw_conv3|pw_conv5|pw_pool)\.')


@MODELS.register_module()
class LAANet(BaseDeepfakeDetector):
    """LAA-Net: Localized Artifact Attention Network (CVPR 2024).

    Wires a backbone (:class:`EfficientNet`), a neck (:class:`EFPN`) and
    up to three heads: ``heatmap_head`` (artifact heatmap),
    ``consistency_head`` (per-pixel embeddings) and ``cls_head`` (the
    real/fake logit). A head set to None is switched off.

    Modes of :meth:`forward`:

    - ``'tensor'``: a dict with keys ``hm`` (N, 1, h, w), ``cls`` (N, 1)
      and ``cstency`` (N, C, h, w) for the heads that exist. Inputs must
      already be normalised (MMEngine's ``tensor`` mode bypasses the data
      preprocessor).
    - ``'loss'``: a dict of losses ``loss_hm``, ``loss_cstency``,
      ``loss_cls`` (plus ``acc_cls``, for logging only).
    - ``'predict'``: data samples with ``pred_logit``, ``pred_score``
      (P(fake)), ``pred_label`` and, with ``output_heatmaps``,
      ``pred_fields.heatmap``.

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
            test_cfg=test_cfg,
            init_cfg=init_cfg)
        self.train_cfg = dict(train_cfg or {})

        self.backbone = self._build(backbone)
        self.neck = self._build(neck)
        self.heatmap_head = self._build(heatmap_head)
        self.consistency_head = self._build(consistency_head)
        self.cls_head = self._build(cls_head)
        if not (self.heatmap_head or self.consistency_head or self.cls_head):
            raise ValueError('LAANet needs at least one head.')
        self._register_load_state_dict_pre_hook(
            self._convert_official_keys, with_module=False)

    @property
    def with_neck(self) -> bool:
        """bool: Whether the model has a neck."""
        return self.neck is not None

    def _heads(self) -> List[Tuple[str, nn.Module]]:
        """The enabled heads with their output names, in official order."""
        heads = [('hm', self.heatmap_head), ('cls', self.cls_head),
                 ('cstency', self.consistency_head)]
        return [(name, head) for name, head in heads if head is not None]

    def _convert_official_keys(self, state_dict: dict, prefix: str,
                               *args) -> None:
        """Load-state-dict pre-hook: convert an official checkpoint."""
        local = {
            k[len(prefix):]: k
            for k in state_dict if k.startswith(prefix)
        }
        if not is_official_laanet(local):
            return
        sub = {name: state_dict.pop(key) for name, key in local.items()}
        depths = [len(s) for s in self.backbone.blocks] if hasattr(
            self.backbone, 'blocks') else None
        converted = convert_official_state_dict(sub, stage_depths=depths)
        # A neck with separate inception 1x1 convs gets copies of the
        # shared official one.
        for name in self.state_dict():
            if name not in converted and _SEPARATE_PW.search(name):
                shared = _SEPARATE_PW.sub('.pw.', name)
                if shared in converted:
                    converted[name] = converted[shared].clone()
        for name, value in converted.items():
            state_dict[prefix + name] = value
        print_log(
            f'LAANet: recognised an official LAA-Net checkpoint '
            f'({len(sub)} keys) and converted it on the fly to '
            f'{len(converted)} laanet keys (float32).',
            logger='current')

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

    def _forward(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Raw head outputs ``hm``, ``cls``, ``cstency``."""
        feats = self.extract_feat(inputs)
        return {name: head(feats) for name, head in self._heads()}

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Compute the losses of all heads.

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            data_samples (list[DeepfakeDataSample]): With ``gt_label`` and
                ``gt_fields`` (heatmap, consistency).

        Returns:
            dict[str, torch.Tensor]: The merged loss dict.
        """
        self.check_loss_samples(inputs, data_samples)
        feats = self.extract_feat(inputs)
        losses = dict()
        for _, head in self._heads():
            head_losses = head.loss(feats, data_samples, self.train_cfg)
            duplicated = set(head_losses) & set(losses)
            assert not duplicated, f'Duplicated loss keys {duplicated}.'
            losses.update(head_losses)
        return losses

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                test_cfg: Optional[dict] = None) -> SampleList:
        """Predict P(fake) (and heatmaps when asked).

        Args:
            inputs (torch.Tensor): Normalised images (N, 3, H, W).
            data_samples (list[DeepfakeDataSample], optional): Samples to
                fill; new ones are made when None.
            test_cfg (dict, optional): Replaces ``self.test_cfg`` for this
                call (e.g. inference asking for heatmaps); the model's own
                ``test_cfg`` is not modified. Defaults to None.

        Returns:
            list[DeepfakeDataSample]: The filled samples.
        """
        test_cfg = self.test_cfg if test_cfg is None else test_cfg
        if data_samples is None:
            data_samples = [DeepfakeDataSample() for _ in range(len(inputs))]
        feats = self.extract_feat(inputs)
        if test_cfg.get('flip_test', False):
            feats = [feats, self.extract_feat(inputs.flip(-1))]
        for head in (self.cls_head, self.heatmap_head, self.consistency_head):
            if head is not None:
                data_samples = head.predict(feats, data_samples, test_cfg)
        return data_samples
