# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_inferencer import DeepfakeInferencer
from .inference import init_model
from .media_io import (IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, MediaReadError,
                       list_folder, media_kind, read_image, to_bgr_uint8,
                       write_summary_csv)

__all__ = [
    'DeepfakeInferencer', 'init_model', 'write_summary_csv',
    'IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'MediaReadError', 'list_folder',
    'media_kind', 'read_image', 'to_bgr_uint8'
]
