# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_inferencer import DeepfakeInferencer
from .face_stream import FaceEvent, FaceStream, FrameFaces, prefetch
from .inference import init_model
from .media_io import MediaReadError, list_folder, media_kind
from .monitors import STAGES, InferenceProgress, StageTimes
from .writers import ResultWriter, write_summary_csv

__all__ = [
    'DeepfakeInferencer', 'init_model', 'write_summary_csv', 'ResultWriter',
    'MediaReadError', 'list_folder', 'media_kind', 'InferenceProgress',
    'FaceEvent', 'FaceStream', 'FrameFaces', 'prefetch', 'STAGES',
    'StageTimes'
]
