# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_visualizer import DeepfakeVisualizer, overlay_heatmap

__all__ = ['DeepfakeVisualizer', 'overlay_heatmap']
