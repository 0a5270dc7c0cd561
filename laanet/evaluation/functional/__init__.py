# Copyright (c) laanet contributors. All rights reserved.
from .binary_metrics import (accuracy, ap_ar_hmean, average_precision,
                             binary_metrics, equal_error_rate, macro_recall,
                             roc_auc, roc_curve)
from .deepfakebench_protocol import (DFB_VIDEO_GROUPINGS, PROTOCOLS,
                                     dfb_aggregate_videos,
                                     dfb_binary_metrics,
                                     dfb_equal_error_rate,
                                     dfb_protocol_metrics, dfb_video_key,
                                     resolve_protocol)
from .official_protocol import official_protocol_metrics
from .screening_metrics import (DEFAULT_FPR_TARGETS, brier_score,
                                check_fpr_targets,
                                expected_calibration_error, fpr_key,
                                screening_metrics, tpr_at_fpr)
from .calibration_metrics import binary_nll, reliability_bins
from .operating_points import threshold_at_eer, threshold_at_fpr
from .video_scores import (VIDEO_SCORE_MODES, aggregate_videos,
                           group_frame_faces, logit, score_video,
                           select_frame_face, sigmoid)

__all__ = [
    'accuracy', 'ap_ar_hmean', 'average_precision', 'binary_metrics',
    'equal_error_rate', 'macro_recall', 'roc_auc', 'roc_curve',
    'VIDEO_SCORE_MODES', 'aggregate_videos', 'group_frame_faces', 'logit',
    'score_video',
    'select_frame_face', 'sigmoid', 'DFB_VIDEO_GROUPINGS',
    'dfb_aggregate_videos', 'dfb_binary_metrics', 'dfb_equal_error_rate',
    'dfb_protocol_metrics', 'dfb_video_key', 'PROTOCOLS',
    'resolve_protocol', 'DEFAULT_FPR_TARGETS',
    'brier_score', 'check_fpr_targets', 'expected_calibration_error',
    'fpr_key', 'screening_metrics', 'tpr_at_fpr',
    'official_protocol_metrics', 'binary_nll',
    'reliability_bins', 'threshold_at_eer', 'threshold_at_fpr'
]
