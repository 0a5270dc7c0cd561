# Copyright (c) laanet contributors. All rights reserved.
from .efficientnet import EfficientNet, StaticSamePadConv2d

__all__ = ['EfficientNet', 'StaticSamePadConv2d']
