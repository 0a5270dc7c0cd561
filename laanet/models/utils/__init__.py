# Copyright (c) laanet contributors. All rights reserved.
from .conv_bn_relu import conv_bn_relu
from .convert_on_load import convert_on_load
from .inception_block import InceptionBlock
from .se_layer import SELayer

__all__ = ['InceptionBlock', 'SELayer', 'conv_bn_relu', 'convert_on_load']
