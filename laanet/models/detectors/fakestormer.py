# Copyright (c) laanet contributors. All rights reserved.
"""The FakeSTormer detector (ICCV 2025)."""
from typing import Dict, List, Optional, Union

import torch
from torch import nn

from laanet.registry import MODELS
from ..backbones.time_vit import TEMPORAL_TOKENS
from ..utils.convert_on_load import convert_on_load
from .base_deepfake_detector import BaseDeepfakeDetector, SampleList
from .fakestormer_ckpt_convert import (convert_official_state_dict,
                                       is_official_fakestormer)


@MODELS.register_module()
class FakeSTormer(BaseDeepfakeDetector):
    """FakeSTormer: a video-level detector on 4-frame clips (ICCV 2025).

    A :class:`TimeViT` backbone and three heads: ``cls_head``
    (:class:`TokenClsHead`, the clip logit on the temporal-token slot),
    ``temporal_head`` (:class:`FrameLogitsHead`, one logit per frame) and
    ``heatmap_head`` (:class:`TemporalHeatmapHead`, (1, T, h, w) maps). A
    head set to None is switched off; ``cls_head`` is required. The data
    preprocessor takes clips (``layout='clip'``). Modes
    (:class:`BaseDeepfakeDetector`):

    - ``'tensor'``: a dict ``cls`` (N, 1), ``temporal`` (N, T),
      ``heatmap`` (N, 1, T, h, w), raw (inputs already normalised);
    - ``'loss'``: ``loss_cls`` (BCE on logit/2, weight 0.8), ``acc_cls``,
      ``loss_temporal`` (BCE on soft per-frame targets, weight 0.2) and
      ``loss_heatmap`` (masked MSE, weight 100) from ``gt_label``,
      ``gt_frame_scores`` and ``gt_fields.heatmap`` / ``heatmap_mask``;
    - ``'predict'``: ``pred_logit``, ``pred_score``, ``pred_label``,
      ``pred_frame_logits`` (T, ) and, with ``output_heatmaps``,
      ``pred_fields.heatmap`` (T, h, w).

    ``test_cfg``: ``flip_test`` (official: off; the clip logits and frame
    logits of the clip and of its mirror image are averaged, the heatmap
    is the unflipped clip's), ``output_heatmaps`` (default True) and
    ``temporal_token`` (None: the backbone's; ``'own'`` predicts every
    clip as the official code does at batch size 1, whatever else is in
    the batch; see :class:`TimeViT`).

    An official FakeSTormer state dict (``keypoint_head.*`` keys) loaded
    into this model is recognised and converted on the fly.

    Args:
        backbone (dict): Backbone config (:class:`TimeViT`).
        cls_head (dict): Clip classifier config.
        temporal_head (dict, optional): Per-frame head config.
        heatmap_head (dict, optional): Heatmap head config.
        train_cfg (dict, optional): Passed to the heads' ``loss``.
        test_cfg (dict, optional): See above.
        data_preprocessor (dict, optional): Defaults to
            ``dict(type='DeepfakeDataPreprocessor', layout='clip')``.
        init_cfg (dict | list[dict], optional): Defaults to None.
    """

    default_test_cfg = dict(
        flip_test=False, output_heatmaps=True, temporal_token=None)
    default_data_preprocessor = dict(
        type='DeepfakeDataPreprocessor', layout='clip')
    #: In the official order (``cls``, ``temp_loc``, ``hm``).
    output_names = ('cls', 'temporal', 'heatmap')

    def __init__(self,
                 backbone: dict,
                 cls_head: dict,
                 temporal_head: Optional[dict] = None,
                 heatmap_head: Optional[dict] = None,
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
        self.cls_head = self._build(cls_head)
        self.temporal_head = self._build(temporal_head)
        self.heatmap_head = self._build(heatmap_head)
        if self.cls_head is None:
            raise ValueError('FakeSTormer needs a cls_head.')
        convert_on_load(self, 'official FakeSTormer', is_official_fakestormer,
                        convert_official_state_dict)

    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The backbone's outputs (``token``, ``frame_tokens``,
        ``patch_map``).

        Args:
            inputs (torch.Tensor): Normalised clips (N, 3, T, H, W).
        """
        if inputs.dim() != 5:
            raise ValueError('FakeSTormer takes clips (N, 3, T, H, W), got '
                             f'shape {tuple(inputs.shape)}: a clip model '
                             'cannot score single images.')
        return self.backbone(inputs)

    def predict(self,
                inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None,
                test_cfg: Optional[dict] = None) -> SampleList:
        """Predict; ``test_cfg['temporal_token']`` overrides the
        backbone's temporal-token mode for this call (see the class
        docstring and :meth:`BaseDeepfakeDetector.predict`)."""
        cfg = self.test_cfg if test_cfg is None else test_cfg
        mode = cfg.get('temporal_token')
        if mode is None or mode == self.backbone.temporal_token:
            return super().predict(inputs, data_samples, test_cfg)
        if mode not in TEMPORAL_TOKENS:
            raise ValueError(f"test_cfg['temporal_token'] must be None or "
                             f'one of {TEMPORAL_TOKENS}, got {mode!r}.')
        own = self.backbone.temporal_token
        self.backbone.temporal_token = mode
        try:
            return super().predict(inputs, data_samples, test_cfg)
        finally:
            self.backbone.temporal_token = own
