# Copyright (c) laanet contributors. All rights reserved.
from .conv_bn_relu import conv_bn_relu
from .inception_block import InceptionBlock
from .official_checkpoint import (check_state_dict_matches,
                                  convert_lukemelas_backbone,
                                  convert_official_state_dict,
                                  is_lukemelas_backbone, is_official_laanet,
                                  stage_depths_of, strip_module_prefix)
from .se_layer import SELayer

__all__ = [
    'InceptionBlock', 'SELayer', 'conv_bn_relu', 'check_state_dict_matches',
    'convert_lukemelas_backbone', 'convert_official_state_dict',
    'is_lukemelas_backbone', 'is_official_laanet', 'stage_depths_of',
    'strip_module_prefix'
]
