# Copyright (c) laanet contributors. All rights reserved.
"""Aggregation of frame predictions into video predictions."""
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np

VIDEO_SCORE_MODES = ('logit_mean', 'prob_mean')


def sigmoid(x: np.ndarray) -> np.ndarray:
    """A numerically stable logistic function."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def logit(p: np.ndarray, eps: float = 1e-7) -> np.ndarray:
    """The inverse of :func:`sigmoid`, with ``p`` clipped to
    ``[eps, 1 - eps]``."""
    p = np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)
    return np.log(p) - np.log1p(-p)


def aggregate_videos(
        video_ids: Sequence[str],
        labels: Sequence[int],
        scores: Sequence[float],
        logits: Optional[Sequence[float]] = None,
        mode: str = 'logit_mean',
        manipulations: Optional[Sequence[str]] = None) -> List[Dict]:
    """Group frames by video and give each video one score.

    Args:
        video_ids (Sequence[str]): Video id of each frame.
        labels (Sequence[int]): Label of each frame.
        scores (Sequence[float]): Probability of fake of each frame.
        logits (Sequence[float], optional): Logit of each frame. If None,
            they are recovered from ``scores``.
        mode (str): ``'logit_mean'`` (official): the video score is the
            sigmoid of the mean frame logit. ``'prob_mean'``: the mean frame
            probability. Defaults to ``'logit_mean'``.
        manipulations (Sequence[str], optional): Manipulation of each frame.

    Returns:
        list[dict]: One dict per video in order of first appearance, with
        ``video_id``, ``label``, ``score``, ``logit`` (mean frame logit),
        ``num_frames`` and ``manipulation`` (or None).

    Raises:
        ValueError: For an unknown ``mode`` or a video whose frames have
            different labels or manipulations.
    """
    if mode not in VIDEO_SCORE_MODES:
        raise ValueError(f'`mode` must be one of {VIDEO_SCORE_MODES}, but '
                         f'got {mode!r}.')
    scores = np.asarray(scores, dtype=np.float64)
    logits = logit(scores) if logits is None else np.asarray(
        logits, dtype=np.float64)
    if not len(video_ids) == len(labels) == scores.size == logits.size:
        raise ValueError('video_ids, labels, scores and logits must have '
                         'the same length.')
    groups = OrderedDict()
    for i, vid in enumerate(video_ids):
        groups.setdefault(vid, []).append(i)
    videos = []
    for vid, idx in groups.items():
        frame_labels = {int(labels[i]) for i in idx}
        if len(frame_labels) > 1:
            raise ValueError(f'Video {vid!r} has frames labelled both real '
                             'and fake; video ids must be unique across '
                             'real and fake videos.')
        manipulation = None
        if manipulations is not None:
            found = {manipulations[i] for i in idx}
            if len(found) > 1:
                raise ValueError(
                    f'Video {vid!r} has frames of several manipulations '
                    f'{sorted(map(str, found))}; video ids must be unique '
                    'across manipulations (e.g. "Deepfakes/000_003").')
            manipulation = found.pop()
        mean_logit = float(logits[idx].mean())
        if mode == 'logit_mean':
            score = float(sigmoid(mean_logit))
        else:
            score = float(scores[idx].mean())
        videos.append(
            dict(
                video_id=vid,
                label=frame_labels.pop(),
                score=score,
                logit=mean_logit,
                num_frames=len(idx),
                manipulation=manipulation))
    return videos
