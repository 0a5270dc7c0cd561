# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_dataset import DeepfakeDataset  # noqa: F401
from .deepfakebench_dataset import DeepfakeBenchDataset  # noqa: F401
from .pair_collate import pair_collate  # noqa: F401
from .samplers import *  # noqa: F401,F403
from .samplers import __all__ as _samplers_all
from .transforms import *  # noqa: F401,F403
from .transforms import __all__ as _transforms_all

__all__ = ['DeepfakeDataset', 'DeepfakeBenchDataset', 'pair_collate'
           ] + list(_samplers_all) + list(_transforms_all)
