# Copyright (c) laanet contributors. All rights reserved.
from .efpn import EFPN
from .global_average_pooling import GlobalAveragePooling

__all__ = ['EFPN', 'GlobalAveragePooling']
