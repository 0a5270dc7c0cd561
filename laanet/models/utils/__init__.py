# Copyright (c) laanet contributors. All rights reserved.
from .compile_model import compile_model
from .conv_bn_relu import conv_bn_relu
from .inception_block import InceptionBlock
from .se_layer import SELayer

__all__ = ['InceptionBlock', 'SELayer', 'compile_model', 'conv_bn_relu']
