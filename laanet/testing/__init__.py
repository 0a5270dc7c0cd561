# Copyright (c) laanet contributors. All rights reserved.
from ._utils import capture_log, get_detector_cfg, get_packed_inputs

__all__ = ['capture_log', 'get_detector_cfg', 'get_packed_inputs']
