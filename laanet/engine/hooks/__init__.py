# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_visualization_hook import DeepfakeVisualizationHook
from .freeze_backbone_hook import FreezeBackboneHook

__all__ = ['DeepfakeVisualizationHook', 'FreezeBackboneHook']
