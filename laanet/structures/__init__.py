# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_data_sample import (DeepfakeDataSample, format_label,
                                   format_score)
from .layout import (FAKE_SUFFIX, LAYOUTS, PAIR_COLLATE_HINT, VIEW_SUFFIXES,
                     batch_ndim, check_layout, fake_video_id, is_pair_item,
                     model_layout)

__all__ = [
    'DeepfakeDataSample', 'format_label', 'format_score', 'FAKE_SUFFIX',
    'LAYOUTS', 'PAIR_COLLATE_HINT', 'VIEW_SUFFIXES', 'batch_ndim',
    'check_layout', 'fake_video_id', 'is_pair_item', 'model_layout'
]
