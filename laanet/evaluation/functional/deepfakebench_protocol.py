# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeBench's metric protocol, re-implemented from its description.

DeepfakeBench (``SCLBD/DeepfakeBench``, ``training/metrics/utils.py``,
``get_test_metrics``) scores a test set from the frame probabilities:

- AUC: scikit-learn's ``roc_curve`` (which drops collinear points) and
  ``auc``; AP: ``average_precision_score``;
- EER: the FPR at the ROC point where ``|FNR - FPR|`` is smallest (the
  first such point), not interpolated (:func:`dfb_equal_error_rate`);
- ACC: ``P(fake) > 0.5``, strictly;
- video score: the mean of the frame probabilities of a video, the video
  being the frames whose paths share their folder name (``dfb_basename``,
  :func:`dfb_video_key`); the video label is the floor of the mean frame
  label (:func:`dfb_aggregate_videos`).

The folder name merges videos of one name under several methods
(``Deepfakes/000_003`` and ``Face2Face/000_003``): laanet offers grouping
by the full video id as the corrected alternative (``full_id``).
:class:`~laanet.evaluation.DeepfakeMetric` uses these functions under
``protocol='deepfakebench'``.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from laanet.utils.grouping import group_indices
from laanet.datasets.deepfakebench_utils import dfb_video_name
from .binary_metrics import (_both_classes, _check, accuracy, ap_ar_hmean,
                             breakdown_groups, macro_recall, percent)
from .screening_metrics import DEFAULT_FPR_TARGETS, screening_metrics
from .video_scores import VIDEO_SCORE_MODES

#: The video groupings of the DeepfakeBench protocol: the folder name of
#: the frame path (DeepfakeBench's own) or the sample's full video id.
DFB_VIDEO_GROUPINGS = ('dfb_basename', 'full_id')
#: The metric protocols: laanet's (the official LAA-Net code's) and
#: DeepfakeBench's.
PROTOCOLS = ('official', 'deepfakebench')


def resolve_protocol(protocol: str, video_score: Optional[str],
                     video_grouping: Optional[str]) -> Tuple[str, str, str]:
    """Check a protocol and fill in its video score and grouping.

    ``'official'``: video score ``'logit_mean'`` (default) or
    ``'prob_mean'``, videos by full id. ``'deepfakebench'``: video score
    ``'prob_mean'``, videos by ``'dfb_basename'`` (default) or
    ``'full_id'``.

    Args:
        protocol (str): One of :data:`PROTOCOLS`.
        video_score (str, optional): None for the protocol's.
        video_grouping (str, optional): None for the protocol's.

    Returns:
        tuple[str, str, str]: ``(protocol, video_score, video_grouping)``.

    Raises:
        ValueError: On an unknown value or one the protocol does not have.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f'`protocol` must be one of {PROTOCOLS}, but got '
                         f'{protocol!r}.')
    if protocol == 'official':
        video_score = video_score or 'logit_mean'
        if video_score not in VIDEO_SCORE_MODES:
            raise ValueError(f'`video_score` must be one of '
                             f'{VIDEO_SCORE_MODES}, but got {video_score!r}.')
        if video_grouping not in (None, 'full_id'):
            raise ValueError(
                f'`video_grouping={video_grouping!r}` belongs to '
                "protocol='deepfakebench'; the official protocol groups "
                'videos by their full id.')
        return protocol, video_score, 'full_id'
    if video_score not in (None, 'prob_mean'):
        raise ValueError(
            "protocol='deepfakebench' scores a video by the mean frame "
            f"probability ('prob_mean'), but got video_score={video_score!r}.")
    video_grouping = video_grouping or 'dfb_basename'
    if video_grouping not in DFB_VIDEO_GROUPINGS:
        raise ValueError(f'`video_grouping` must be one of '
                         f'{DFB_VIDEO_GROUPINGS}, but got {video_grouping!r}.')
    return protocol, 'prob_mean', video_grouping


def dfb_video_key(frame_path: str) -> str:
    """The video a frame belongs to under DeepfakeBench's grouping: the
    name of the folder that holds it (split on ``\\`` if the path holds
    one, else on ``/``).

    Args:
        frame_path (str): The frame path as written in the dataset JSON.

    Returns:
        str: The folder name, e.g. ``'000_003'``.

    Raises:
        ValueError: If the path has no folder.
    """
    if '/' not in frame_path and '\\' not in frame_path:
        raise ValueError(f'Frame path {frame_path!r} has no folder: '
                         "DeepfakeBench's video grouping needs "
                         '<video folder>/<frame file>.')
    return dfb_video_name(frame_path)


def dfb_aggregate_videos(
        keys: Sequence, scores: Sequence[float],
        labels: Sequence[int]) -> Tuple[np.ndarray, np.ndarray, List]:
    """Group frames by ``keys`` and score each group as DeepfakeBench does.

    The video score is the mean frame probability, summed one frame after
    the other in the given order (as DeepfakeBench sums, so that tied
    videos stay tied); the video label is ``int(mean frame label)``, so a
    group that mixes real and fake frames is real. Groups come in order of
    first appearance.

    Args:
        keys (Sequence): The video of each frame (hashable).
        scores (Sequence[float]): Probability of fake of each frame.
        labels (Sequence[int]): 0 = real, 1 = fake, of each frame.

    Returns:
        tuple: ``(video_scores, video_labels, groups)``: float64 and int64
        arrays and, per video, the indices of its frames.
    """
    scores, labels = _check(scores, labels)
    if len(keys) != scores.size:
        raise ValueError(f'{len(keys)} video keys but {scores.size} scores.')
    groups = group_indices(keys)
    v_scores, v_labels = [], []
    for idx in groups.values():
        total = 0.0
        for i in idx:
            total += float(scores[i])
        v_scores.append(total / len(idx))
        v_labels.append(int(int(labels[idx].sum()) / len(idx)))
    return (np.asarray(v_scores, dtype=np.float64),
            np.asarray(v_labels, dtype=np.int64), list(groups.values()))


def _dfb_roc(scores: np.ndarray, labels: np.ndarray):
    from sklearn.metrics import roc_curve

    # scikit-learn's defaults, as DeepfakeBench calls it
    return roc_curve(labels, scores, pos_label=1)


def _dfb_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    from sklearn.metrics import auc
    if not _both_classes(labels, 'AUC'):
        return float('nan')
    fpr, tpr, _ = _dfb_roc(scores, labels)
    return float(auc(fpr, tpr))


def _nearest_crossing_fpr(fpr: np.ndarray, tpr: np.ndarray) -> float:
    return float(fpr[np.nanargmin(np.abs((1 - tpr) - fpr))])


def dfb_equal_error_rate(scores: Sequence[float],
                         labels: Sequence[int]) -> float:
    """DeepfakeBench's EER: the FPR at the first point of scikit-learn's
    (thinned) ROC curve where ``|(1 - TPR) - FPR|`` is smallest.

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: EER in [0, 1], NaN (with a warning) if one class is missing.
    """
    scores, labels = _check(scores, labels)
    if not _both_classes(labels, 'EER'):
        return float('nan')
    return _nearest_crossing_fpr(*_dfb_roc(scores, labels)[:2])


def dfb_binary_metrics(scores: Sequence[float],
                       labels: Sequence[int],
                       threshold: float = 0.5) -> Dict[str, float]:
    """The binary metrics under DeepfakeBench's definitions.

    Args:
        scores (Sequence[float]): Probabilities of fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        threshold (float): ``acc`` and ``recall`` call a sample fake when
            its probability is strictly above it. Defaults to 0.5.

    Returns:
        dict: ``auc``, ``ap``, ``eer``, ``acc``, ``recall`` (macro) and
        ``ap_ar_hmean``, all in [0, 1]; the ranking metrics are NaN (with
        a warning) if one class is missing.
    """
    from sklearn.metrics import auc, average_precision_score
    scores, labels = _check(scores, labels)
    # p > t is p >= the next float64 above t
    above = float(np.nextafter(threshold, np.inf))
    acc = accuracy(scores, labels, above)
    recall = macro_recall(scores, labels, above)
    if _both_classes(labels, 'AUC'):
        fpr, tpr, _ = _dfb_roc(scores, labels)
        roc_auc = float(auc(fpr, tpr))
        ap = float(average_precision_score(labels, scores))
        eer = _nearest_crossing_fpr(fpr, tpr)
    else:
        roc_auc = ap = eer = float('nan')
    return dict(
        auc=roc_auc,
        ap=ap,
        eer=eer,
        acc=acc,
        recall=recall,
        ap_ar_hmean=ap_ar_hmean(ap, recall))


def dfb_protocol_metrics(
        scores: Sequence[float],
        labels: Sequence[int],
        video_keys: Sequence,
        breakdown: Optional[Sequence] = None,
        threshold: float = 0.5,
        fpr_targets: Sequence[float] = DEFAULT_FPR_TARGETS,
        ece_bins: int = 10) -> Dict[str, float]:
    """Every metric of a test set under DeepfakeBench's protocol.

    ``auc``, ``ap``, ``eer``, ``acc``, ``recall``, ``ap_ar_hmean`` of the
    frames (:func:`dfb_binary_metrics`) and, with a ``video_`` prefix, of
    the videos (:func:`dfb_aggregate_videos` on ``video_keys``); the
    screening metrics of both
    (:func:`~laanet.evaluation.functional.screening_metrics`, ranked by
    the probabilities); and per fake value ``m`` of ``breakdown``,
    ``auc_<m>`` and ``video_auc_<m>``: the metric on the real frames and
    the fake frames of ``m``, videos grouped within them (what
    DeepfakeBench reports on a JSON holding the reals and the method
    ``m``, e.g. ``FF-DF.json``).

    Args:
        scores (Sequence[float]): Probability of fake per frame.
        labels (Sequence[int]): 0 = real, 1 = fake.
        video_keys (Sequence): The video of each frame (hashable), e.g.
            :func:`dfb_video_key` of the frame paths.
        breakdown (Sequence, optional): Method of each frame (None or ''
            for none).
        threshold (float): ``acc`` calls ``p > threshold`` fake. Defaults
            to 0.5.
        fpr_targets (Sequence[float]): Targets of ``tpr_at_fpr<X>``.
        ece_bins (int): Bins of the ECE. Defaults to 10.

    Returns:
        dict: The metrics, in percent.
    """
    scores, labels = _check(scores, labels)
    keys = list(video_keys)
    v_scores, v_labels, _ = dfb_aggregate_videos(keys, scores, labels)
    results = {}
    levels = (('', scores, labels), ('video_', v_scores, v_labels))
    for prefix, s, y in levels:
        results.update(percent(dfb_binary_metrics(s, y, threshold), prefix))
        results.update(
            percent(screening_metrics(s, s, y, fpr_targets, ece_bins),
                    prefix))
    if breakdown is not None:
        breakdown, fakes = breakdown_groups(breakdown, labels)
        for m in fakes:
            keep = (labels == 0) | (breakdown == m)
            sub_keys = [k for k, kept in zip(keys, keep) if kept]
            vs, vl, _ = dfb_aggregate_videos(sub_keys, scores[keep],
                                             labels[keep])
            results[f'auc_{m}'] = _dfb_auc(scores[keep], labels[keep]) * 100
            results[f'video_auc_{m}'] = _dfb_auc(vs, vl) * 100
    return results
