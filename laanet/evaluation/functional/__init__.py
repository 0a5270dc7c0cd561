# Copyright (c) laanet contributors. All rights reserved.
from .binary_metrics import (accuracy, ap_ar_hmean, average_precision,
                             binary_metrics, equal_error_rate, macro_recall,
                             roc_auc, roc_curve)
from .calibration_metrics import (binary_nll, expected_calibration_error,
                                  probabilities, reliability_bins)
from .operating_points import threshold_at_eer, threshold_at_fpr
from .video_scores import (VIDEO_SCORE_MODES, aggregate_videos,
                           group_frame_faces, logit, score_video,
                           select_frame_face, sigmoid)

__all__ = [
    'accuracy', 'ap_ar_hmean', 'average_precision', 'binary_metrics',
    'equal_error_rate', 'macro_recall', 'roc_auc', 'roc_curve',
    'VIDEO_SCORE_MODES', 'aggregate_videos', 'group_frame_faces', 'logit',
    'score_video',
    'select_frame_face', 'sigmoid', 'binary_nll',
    'expected_calibration_error', 'probabilities', 'reliability_bins',
    'threshold_at_eer', 'threshold_at_fpr'
]
