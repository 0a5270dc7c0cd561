# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_metric import DeepfakeMetric

__all__ = ['DeepfakeMetric']
