# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_dataset import DeepfakeDataset  # noqa: F401
from .face_detectors import *  # noqa: F401,F403
from .samplers import *  # noqa: F401,F403
from .transforms import *  # noqa: F401,F403
