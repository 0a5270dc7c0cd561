# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_data_sample import (DeepfakeDataSample, format_label,
                                   format_score)

__all__ = ['DeepfakeDataSample', 'format_label', 'format_score']
