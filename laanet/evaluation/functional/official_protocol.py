# Copyright (c) laanet contributors. All rights reserved.
"""LAA-Net's metric protocol (the official code's), on arrays.

:class:`~laanet.evaluation.DeepfakeMetric` under ``protocol='official'``
(its default): frames ranked by their logits, ``acc`` at
``p >= threshold``, the interpolated EER, videos by ``video_id`` scored by
:func:`~laanet.evaluation.functional.aggregate_videos`.
"""
from typing import Dict, Optional, Sequence

import numpy as np

from .binary_metrics import (binary_metrics, breakdown_groups, percent,
                             roc_auc)
from .screening_metrics import DEFAULT_FPR_TARGETS, screening_metrics
from .video_scores import aggregate_videos, logit


def official_protocol_metrics(
        scores: np.ndarray,
        labels: np.ndarray,
        video_ids: Sequence,
        logits: Optional[Sequence[float]] = None,
        manipulations: Optional[Sequence] = None,
        threshold: float = 0.5,
        video_score: str = 'logit_mean',
        fpr_targets: Sequence[float] = DEFAULT_FPR_TARGETS,
        ece_bins: int = 10) -> Dict[str, float]:
    """Every metric of a test set under the official protocol.

    Args:
        scores (np.ndarray): Probability of fake per frame (float64).
        labels (np.ndarray): 0 = real, 1 = fake (int64).
        video_ids (Sequence): The video of each frame (no None).
        logits (Sequence[float], optional): Logit per frame: frames are
            ranked by it (no float32 saturation), and it makes the
            ``'logit_mean'`` video score (recovered from ``scores`` if
            None).
        manipulations (Sequence, optional): Manipulation (or method) per
            frame, for ``auc_<m>`` and ``video_auc_<m>``.
        threshold (float): Decision threshold. Defaults to 0.5.
        video_score (str): ``'logit_mean'`` or ``'prob_mean'``.
        fpr_targets (Sequence[float]): Targets of ``tpr_at_fpr<X>``.
        ece_bins (int): Bins of the ECE. Defaults to 10.

    Returns:
        dict: The metrics, in percent (see
        :class:`~laanet.evaluation.DeepfakeMetric`).
    """
    videos = aggregate_videos(
        video_ids,
        labels,
        scores,
        logits=logits,
        mode=video_score,
        manipulations=manipulations)
    v_scores = np.array([v['score'] for v in videos])
    v_labels = np.array([v['label'] for v in videos])

    # Frames are ranked by their logit when it is known: a float32
    # sigmoid is exactly 1.0 for every logit above ~16.6, which would
    # tie the frames of a confident model. ``p >= t`` is ``z >= logit(t)``.
    frame_scores, frame_threshold = scores, threshold
    if logits is not None:
        frame_scores = np.asarray(logits, dtype=np.float64)
        frame_threshold = float(logit(threshold))
    results = percent(binary_metrics(frame_scores, labels, frame_threshold))
    results.update(
        percent(binary_metrics(v_scores, v_labels, threshold), 'video_'))
    for prefix, rank, probs, y in (('', frame_scores, scores, labels),
                                   ('video_', v_scores, v_scores,
                                    v_labels)):
        results.update(
            percent(
                screening_metrics(rank, probs, y, fpr_targets, ece_bins),
                prefix))
    if manipulations is not None:
        manipulations, fakes = breakdown_groups(manipulations, labels)
        v_manip, _ = breakdown_groups([v['manipulation'] for v in videos],
                                      v_labels)
        for m in fakes:
            keep = (labels == 0) | (manipulations == m)
            results[f'auc_{m}'] = roc_auc(frame_scores[keep],
                                          labels[keep]) * 100
            keep = (v_labels == 0) | (v_manip == m)
            results[f'video_auc_{m}'] = roc_auc(v_scores[keep],
                                                v_labels[keep]) * 100
    return results
