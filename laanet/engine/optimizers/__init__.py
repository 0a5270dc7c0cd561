# Copyright (c) laanet contributors. All rights reserved.
from .sam import SAM
from .sam_step import (check_sam_optim_wrapper, frozen_bn_stats,
                       is_sam_optim_wrapper, sam_train_step)

__all__ = [
    'SAM', 'check_sam_optim_wrapper', 'frozen_bn_stats',
    'is_sam_optim_wrapper', 'sam_train_step'
]
