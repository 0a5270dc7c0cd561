# Copyright (c) laanet contributors. All rights reserved.
"""A tiny clip detector honouring the FakeSTormer contract (tests only)."""
from typing import Optional, Tuple

import torch
from torch import nn

from laanet.models.detectors.base_deepfake_detector import \
    BaseDeepfakeDetector
from laanet.registry import MODELS

#: ImageNet mean and std on the 0-255 scale (FakeSTormer's).
IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


@MODELS.register_module()
class ToyClipModel(BaseDeepfakeDetector):
    """Conv3d features of (N, 3, T, H, W) clips and the three outputs of
    the FakeSTormer contract: ``cls`` (N, 1), ``temporal`` (N, T) and
    ``heatmap`` (N, 1, T, h, w); ``predict`` fills ``pred_logit``,
    ``pred_score``, ``pred_frame_logits`` (T, ) and, with
    ``output_heatmaps``, ``pred_fields.heatmap`` (T, h, w). A temporal
    convolution makes every output depend on the neighbouring frames.
    Milliseconds per clip on a CPU: for inference, export and metric
    tests until (and besides) the real model.

    Args:
        channels (int): Feature width. Defaults to 4.
        heatmap_stride (int): Input pixels per heatmap cell. Defaults
            to 4.
        data_preprocessor (dict, optional): Defaults to the clip layout
            with ImageNet mean/std, BGR→RGB.
        test_cfg (dict, optional): ``flip_test``.
        cls_head, temporal_head, heatmap_head (dict, optional): The heads
            (``LinearClsHead`` with one logit, ``ToyTemporalHead``,
            ``ToyClipHeatmapHead``); given in full by a config, so that
            :class:`~laanet.deployment.OnnxBackend` can build them.
    """

    output_names: Tuple[str, ...] = ('cls', 'temporal', 'heatmap')
    default_data_preprocessor = dict(
        type='DeepfakeDataPreprocessor',
        layout='clip',
        mean=IMAGENET_MEAN,
        std=IMAGENET_STD,
        to_rgb=True)

    def __init__(self,
                 channels: int = 4,
                 heatmap_stride: int = 4,
                 data_preprocessor: Optional[dict] = None,
                 test_cfg: Optional[dict] = None,
                 cls_head: Optional[dict] = None,
                 temporal_head: Optional[dict] = None,
                 heatmap_head: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, test_cfg=test_cfg)
        self.backbone = nn.Sequential(
            nn.Conv3d(3, channels, (1, 3, 3), padding=(0, 1, 1)), nn.ReLU(),
            nn.Conv3d(channels, channels, (3, 1, 1), padding=(1, 0, 0)),
            nn.ReLU())
        self.cls_head = MODELS.build(cls_head or dict(
            type='LinearClsHead', in_channels=channels, num_classes=1))
        self.temporal_head = MODELS.build(temporal_head or dict(
            type='ToyTemporalHead', in_channels=channels))
        self.heatmap_head = MODELS.build(heatmap_head or dict(
            type='ToyClipHeatmapHead', in_channels=channels,
            stride=heatmap_stride))

    def extract_feat(self, inputs: torch.Tensor):
        """``(map (N, C, T, H, W), pooled (N, C))``."""
        if inputs.dim() != 5:
            raise ValueError('ToyClipModel takes (N, 3, T, H, W) clips, got '
                             f'{tuple(inputs.shape)}')
        x = self.backbone(inputs)
        return x, x.mean(dim=(2, 3, 4))
