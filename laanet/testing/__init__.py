# Copyright (c) laanet contributors. All rights reserved.
"""Small fixtures for tests. Importing this registers ``ToyDeepfakeModel``
(MODELS) and ``ToyDeepfakeDataset`` (DATASETS); configs reach them with
``custom_imports = dict(imports=['laanet.testing'])``."""
from ._utils import toy_runner_cfg
from .toy_deepfake_dataset import ToyDeepfakeDataset
from .toy_deepfake_model import ToyDeepfakeModel

__all__ = ['ToyDeepfakeDataset', 'ToyDeepfakeModel', 'toy_runner_cfg']
