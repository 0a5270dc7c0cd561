# Copyright (c) laanet contributors. All rights reserved.
from .dependency import check_mm_versions
from .setup_env import register_all_modules

__all__ = ['check_mm_versions', 'register_all_modules']
