# Copyright (c) laanet contributors. All rights reserved.
from .data_preprocessor import DeepfakeDataPreprocessor

__all__ = ['DeepfakeDataPreprocessor']
