# Copyright (c) laanet contributors. All rights reserved.
from .efficientnet import EfficientNet, StaticSamePadConv2d
from .time_vit import TimeViT
from .timm_backbone import TIMMBackbone

__all__ = ['EfficientNet', 'StaticSamePadConv2d', 'TIMMBackbone', 'TimeViT']
