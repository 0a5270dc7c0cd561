# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_inferencer import DeepfakeInferencer
from .deploy_model import DeployModel, export_onnx
from .inference import init_model
from .inference_progress import InferenceProgress
from .media_io import (IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, MediaReadError,
                       list_folder, media_kind, read_image, to_bgr_uint8,
                       write_summary_csv)
from .media_prefetcher import MediaPrefetcher
from .onnx_backend import OnnxBackend
from .stage_times import STAGES, StageTimes

__all__ = [
    'DeepfakeInferencer', 'DeployModel', 'export_onnx', 'OnnxBackend',
    'init_model', 'write_summary_csv',
    'IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'MediaReadError', 'list_folder',
    'media_kind', 'read_image', 'to_bgr_uint8', 'InferenceProgress',
    'MediaPrefetcher', 'STAGES', 'StageTimes'
]
