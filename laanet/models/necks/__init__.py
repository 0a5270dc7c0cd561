# Copyright (c) laanet contributors. All rights reserved.
from .efpn import EFPN

__all__ = ['EFPN']
