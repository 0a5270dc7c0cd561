# Copyright (c) laanet contributors. All rights reserved.
from .base_head import BaseLAAHead
from .consistency_head import ConsistencyHead
from .deepfake_cls_head import DeepfakeClsHead
from .heatmap_head import HeatmapHead
from .linear_cls_head import LinearClsHead

__all__ = [
    'BaseLAAHead', 'ConsistencyHead', 'DeepfakeClsHead', 'HeatmapHead',
    'LinearClsHead'
]
