# Copyright (c) laanet contributors. All rights reserved.
from .pair_collate import pair_collate
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all

__all__ = ['pair_collate'] + list(_transforms_all)
