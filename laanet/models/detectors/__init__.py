# Copyright (c) laanet contributors. All rights reserved.
from .laanet import LAANet

__all__ = ['LAANet']
