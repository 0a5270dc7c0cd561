# Copyright (c) laanet contributors. All rights reserved.
from .base_cls_head import BaseBinaryClsHead
from .base_head import BaseHead
from .consistency_head import ConsistencyHead
from .deepfake_cls_head import DeepfakeClsHead
from .heatmap_head import HeatmapHead
from .laa_stem import LAAStemMixin
from .linear_cls_head import LinearClsHead

__all__ = [
    'BaseBinaryClsHead', 'BaseHead', 'ConsistencyHead', 'DeepfakeClsHead',
    'HeatmapHead', 'LAAStemMixin', 'LinearClsHead'
]
