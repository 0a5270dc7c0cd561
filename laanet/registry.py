# Copyright (c) laanet contributors. All rights reserved.
"""laanet provides 22 registry nodes to support using modules across
projects. Each node is a child of the root registry in MMEngine.

More details can be found at
https://mmengine.readthedocs.io/en/latest/advanced_tutorials/registry.html.

Every registry sets ``locations``, so that building a module in the
``laanet`` scope (``default_scope = 'laanet'`` in a config) imports the
sub-package that registers it: no ``register_all_modules()`` call and no
``custom_imports`` are needed inside laanet. Other OpenMMLab projects reach
the modules with ``custom_imports = dict(imports=['laanet'])`` and a
``laanet.`` prefix on the type, e.g. ``type='laanet.LAANet'``.
"""

from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import INFERENCERS as MMENGINE_INFERENCERS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import \
    RUNNER_CONSTRUCTORS as MMENGINE_RUNNER_CONSTRUCTORS
from mmengine.registry import RUNNERS as MMENGINE_RUNNERS
from mmengine.registry import TASK_UTILS as MMENGINE_TASK_UTILS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry

__all__ = [
    'RUNNERS', 'RUNNER_CONSTRUCTORS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'DATASETS', 'DATA_SAMPLERS', 'TRANSFORMS',
    'FUNCTIONS', 'MODELS', 'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS',
    'TASK_UTILS', 'METRICS', 'EVALUATORS', 'VISUALIZERS', 'VISBACKENDS',
    'INFERENCERS'
]

#######################################################################
#                            laanet.engine                            #
#######################################################################

# Runners like `EpochBasedRunner` and `IterBasedRunner`
RUNNERS = Registry(
    'runner', parent=MMENGINE_RUNNERS, locations=['laanet.engine'])
# Runner constructors that define how to initialize runners
RUNNER_CONSTRUCTORS = Registry(
    'runner constructor',
    parent=MMENGINE_RUNNER_CONSTRUCTORS,
    locations=['laanet.engine'])
# Loops which define the training or test process, like `EpochBasedTrainLoop`
LOOPS = Registry('loop', parent=MMENGINE_LOOPS, locations=['laanet.engine'])
# Hooks to add additional functions during running, like `CheckpointHook`
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, locations=['laanet.engine'])
# Log processors to process the scalar log data.
LOG_PROCESSORS = Registry(
    'log processor',
    parent=MMENGINE_LOG_PROCESSORS,
    locations=['laanet.engine'])
# Optimizers to optimize the model weights, like `SAM`.
OPTIMIZERS = Registry(
    'optimizer', parent=MMENGINE_OPTIMIZERS, locations=['laanet.engine'])
# Optimizer wrappers to enhance the optimization process.
OPTIM_WRAPPERS = Registry(
    'optimizer_wrapper',
    parent=MMENGINE_OPTIM_WRAPPERS,
    locations=['laanet.engine'])
# Optimizer constructors to customize the hyper-parameters of optimizers.
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['laanet.engine'])
# Parameter schedulers to dynamically adjust optimization parameters.
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=MMENGINE_PARAM_SCHEDULERS,
    locations=['laanet.engine'])

#######################################################################
#                           laanet.datasets                           #
#######################################################################

# Datasets like `DeepfakeDataset`
DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['laanet.datasets'])
# Samplers to sample the dataset.
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMENGINE_DATA_SAMPLERS,
    locations=['laanet.datasets'])
# Transforms to process the samples from the dataset, like `SelfBlend`.
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, locations=['laanet.datasets'])
# Functions such as the collate function that flattens (real, fake) pairs.
FUNCTIONS = Registry(
    'function', parent=MMENGINE_FUNCTIONS, locations=['laanet.datasets'])

#######################################################################
#                            laanet.models                            #
#######################################################################

# Neural network modules: backbones, necks, heads, losses, detectors.
MODELS = Registry('model', parent=MMENGINE_MODELS, locations=['laanet.models'])
# Model wrappers like `SAMDistributedDataParallel`
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['laanet.engine'])
# Weight initialization methods like uniform, xavier.
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    locations=['laanet.models'])
# Task-specific utilities such as the face detectors used by data
# preparation and inference.
TASK_UTILS = Registry(
    'task util',
    parent=MMENGINE_TASK_UTILS,
    locations=['laanet.preprocessing'])

#######################################################################
#                          laanet.evaluation                          #
#######################################################################

# Metrics to evaluate the model prediction results, like `DeepfakeMetric`.
METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['laanet.evaluation'])
# Evaluators to define the evaluation process.
EVALUATORS = Registry(
    'evaluator', parent=MMENGINE_EVALUATOR, locations=['laanet.evaluation'])

#######################################################################
#                         laanet.visualization                        #
#######################################################################

# Visualizers to display task-specific results, like `DeepfakeVisualizer`.
VISUALIZERS = Registry(
    'visualizer',
    parent=MMENGINE_VISUALIZERS,
    locations=['laanet.visualization'])
# Backends to save the visualization results, like TensorBoard.
VISBACKENDS = Registry(
    'vis_backend',
    parent=MMENGINE_VISBACKENDS,
    locations=['laanet.visualization'])

#######################################################################
#                              laanet.apis                            #
#######################################################################

# Inferencers like `DeepfakeInferencer`.
INFERENCERS = Registry(
    'inferencer', parent=MMENGINE_INFERENCERS, locations=['laanet.apis'])
