# Copyright (c) laanet contributors. All rights reserved.
from ._utils import get_detector_cfg, get_packed_inputs

__all__ = ['get_detector_cfg', 'get_packed_inputs']
