# Copyright (c) laanet contributors. All rights reserved.
from .device_amp_optim_wrapper import (DeviceAmpOptimWrapper, amp_autocast,
                                       default_amp_dtype)
from .sam import SAM
from .sam_step import (check_sam_optim_wrapper, frozen_bn_stats,
                       is_sam_optim_wrapper, sam_train_step)

__all__ = [
    'DeviceAmpOptimWrapper', 'SAM', 'amp_autocast', 'check_sam_optim_wrapper',
    'default_amp_dtype', 'frozen_bn_stats', 'is_sam_optim_wrapper',
    'sam_train_step'
]
