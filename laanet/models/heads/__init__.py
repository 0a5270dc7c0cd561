# Copyright (c) laanet contributors. All rights reserved.
from .base_cls_head import BaseBinaryClsHead
from .base_head import BaseHead
from .consistency_head import ConsistencyHead
from .deepfake_cls_head import DeepfakeClsHead
from .frame_logits_head import FrameLogitsHead
from .heatmap_head import HeatmapHead
from .laa_stem import LAAStemMixin
from .linear_cls_head import LinearClsHead
from .temporal_heatmap_head import TemporalHeatmapHead
from .token_cls_head import TokenClsHead

__all__ = [
    'BaseBinaryClsHead', 'BaseHead', 'ConsistencyHead', 'DeepfakeClsHead',
    'FrameLogitsHead', 'HeatmapHead', 'LAAStemMixin', 'LinearClsHead',
    'TemporalHeatmapHead', 'TokenClsHead'
]
