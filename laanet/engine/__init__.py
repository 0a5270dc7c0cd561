# Copyright (c) laanet contributors. All rights reserved.
"""Training and testing machinery: hooks, SAM, model wrappers, runner set-up,
compilation.

Importing it changes nothing in MMEngine: :func:`enable_mmengine_checkpoints`
runs where checkpoints are loaded (:func:`build_runner`,
:func:`laanet.apis.init_model`).
"""
from .checkpoint import (enable_mmengine_checkpoints, load_trusted_checkpoint,
                         mmengine_checkpoint_safe_globals)
from .compile import compile_model
from .hooks import *  # noqa: F401,F403
from .model_wrappers import *  # noqa: F401,F403
from .optimizers import *  # noqa: F401,F403
from .runner_setup import (apply_amp, apply_common_options, apply_compile,
                           apply_test_options, apply_train_options, apply_tta,
                           build_runner, cleanup_distributed,
                           prepare_cpu_distributed)

__all__ = [
    'enable_mmengine_checkpoints', 'load_trusted_checkpoint', 'apply_tta',
    'mmengine_checkpoint_safe_globals', 'apply_amp', 'apply_common_options',
    'apply_test_options', 'apply_train_options', 'build_runner',
    'apply_compile', 'cleanup_distributed', 'compile_model',
    'prepare_cpu_distributed'
]
