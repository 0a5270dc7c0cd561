# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_dataset import DeepfakeDataset  # noqa: F401
from .face_detectors import *  # noqa: F401,F403
from .pair_collate import pair_collate
from .samplers import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all

__all__ = ['pair_collate', 'DeepfakeDataset'] + list(_transforms_all)
