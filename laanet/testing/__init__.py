# Copyright (c) laanet contributors. All rights reserved.
"""Small fixtures for tests. Importing this registers ``ToyDeepfakeModel``
and ``ToyClipModel`` with its heads (MODELS), ``ToyDeepfakeDataset``
(DATASETS) and
``SimulatedCrashHook`` (HOOKS); configs reach them with
``custom_imports = dict(imports=['laanet.testing'])``."""
from ._toy_config import toy_runner_cfg
from ._utils import (assert_outputs_close, build_random_detector,
                     capture_log, get_clip_inference_cfg, get_detector_cfg,
                     get_inference_cfg, get_packed_inputs,
                     write_inference_files, write_random_checkpoint)
from .calibration_files import handmade_calibration
from .deepfakebench_tree import make_deepfakebench_tree
from .simulated_crash_hook import SimulatedCrashHook
from .tool_loader import load_tool, run_tool
from .toy_clip_heatmap_head import ToyClipHeatmapHead
from .toy_clip_model import ToyClipModel
from .toy_deepfake_dataset import ToyDeepfakeDataset
from .toy_deepfake_model import ToyDeepfakeModel
from .toy_temporal_head import ToyTemporalHead

__all__ = [
    'SimulatedCrashHook', 'ToyClipHeatmapHead', 'ToyClipModel',
    'ToyDeepfakeDataset', 'ToyDeepfakeModel', 'ToyTemporalHead',
    'assert_outputs_close', 'build_random_detector', 'capture_log',
    'get_clip_inference_cfg', 'get_detector_cfg', 'get_inference_cfg',
    'get_packed_inputs', 'handmade_calibration', 'load_tool',
    'make_deepfakebench_tree', 'run_tool', 'toy_runner_cfg',
    'write_inference_files', 'write_random_checkpoint'
]
