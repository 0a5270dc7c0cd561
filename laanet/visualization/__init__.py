# Copyright (c) laanet contributors. All rights reserved.
from .deepfake_visualizer import DeepfakeVisualizer, overlay_heatmap
from .report_plots import (plot_frame_scores, plot_robustness, plot_roc,
                           plot_score_histograms, plot_scores_file)
from .reliability_diagram import plot_reliability

__all__ = [
    'DeepfakeVisualizer', 'overlay_heatmap', 'plot_frame_scores',
    'plot_robustness', 'plot_roc', 'plot_score_histograms',
    'plot_scores_file', 'plot_reliability'
]
