# Copyright (c) laanet contributors. All rights reserved.
from .sam_ddp import SAMDistributedDataParallel

__all__ = ['SAMDistributedDataParallel']
