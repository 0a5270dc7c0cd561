# Copyright (c) laanet contributors. All rights reserved.
"""Scores from logits, and face -> frame -> video score aggregation.

Owns the logistic function and its inverse, the rule that picks the face
which scores a frame (:func:`select_frame_face`) and the rule that scores
a video from its frames (:func:`aggregate_videos`, :func:`score_video`).
:class:`~laanet.evaluation.DeepfakeMetric` and
:class:`~laanet.apis.DeepfakeInferencer` both call these, so a test set
and an inference request score a video the same way.
"""
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from laanet.utils.grouping import group_indices

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
    groups = group_indices(video_ids)
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


def score_video(scores: Sequence[float],
                logits: Optional[Sequence[float]] = None,
                mode: str = 'logit_mean') -> float:
    """The score of one video from the scores of its frames.

    The same rule as :func:`aggregate_videos` (which it calls), for the
    frames of a single video.

    Args:
        scores (Sequence[float]): Probability of fake of each frame.
        logits (Sequence[float], optional): Logit of each frame; recovered
            from ``scores`` if None.
        mode (str): ``'logit_mean'`` or ``'prob_mean'``, see
            :func:`aggregate_videos`. Defaults to ``'logit_mean'``.

    Returns:
        float: The video's probability of fake.

    Raises:
        ValueError: If there is no frame or ``mode`` is unknown.
    """
    if len(scores) == 0:
        raise ValueError('score_video needs at least one frame score.')
    n = len(scores)
    return aggregate_videos(['video'] * n, [0] * n, scores, logits,
                            mode)[0]['score']


def select_frame_face(areas: Sequence[float], logits: Sequence[float],
                      min_area_ratio: float) -> Tuple[int, List[bool]]:
    """Pick the face that scores a frame.

    Faces smaller than ``min_area_ratio`` of the largest face's area are
    ignored (background faces, false detections); among the others the
    face with the highest logit, i.e. the highest P(fake), scores the
    frame (the first one on ties).

    Args:
        areas (Sequence[float]): Box area of each face of the frame.
        logits (Sequence[float]): Logit of each face.
        min_area_ratio (float): See above, in [0, 1].

    Returns:
        tuple[int, list[bool]]: The index of the scoring face and, per
        face, whether it was kept (not ignored).

    Raises:
        ValueError: If the frame has no face or the lengths differ.
    """
    if len(areas) == 0 or len(areas) != len(logits):
        raise ValueError('select_frame_face needs one logit per face and at '
                         f'least one face, got {len(areas)} areas and '
                         f'{len(logits)} logits.')
    largest = max(areas)
    keep = [a >= min_area_ratio * largest for a in areas]
    best = max((i for i, k in enumerate(keep) if k), key=lambda i: logits[i])
    return best, keep


def group_frame_faces(samples: Sequence[dict],
                      min_area_ratio: float = 0.5) -> List[dict]:
    """Merge the faces of each frame into one frame, by
    :func:`select_frame_face`.

    Samples with the same ``video_id`` and the same non-negative
    ``frame_idx`` are faces of one frame: the frame takes the sample of the
    face that :func:`select_frame_face` picks (by ``logit``, faces smaller
    than ``min_area_ratio`` of the largest ``face_area`` ignored; without
    ``face_area`` every face counts). Other samples stay one frame each.
    One face per frame (what laanet's extraction writes) changes nothing.

    Args:
        samples (Sequence[dict]): ``logit`` (or ``score``), ``video_id``,
            ``frame_idx`` and optionally ``face_area``, per face.
        min_area_ratio (float): See :func:`select_frame_face`.
            Defaults to 0.5.

    Returns:
        list[dict]: One sample per frame, in order of first appearance,
        with ``num_faces`` added.
    """
    groups = OrderedDict()
    for i, s in enumerate(samples):
        fidx = s.get('frame_idx')
        key = (('__sample__', i) if s.get('video_id') is None or fidx is None
               or fidx < 0 else (s['video_id'], fidx))
        groups.setdefault(key, []).append(s)
    frames = []
    for faces in groups.values():
        if len(faces) == 1:
            frames.append(dict(faces[0], num_faces=1))
            continue
        logits = [
            f['logit'] if f.get('logit') is not None else float(
                logit(f['score'])) for f in faces
        ]
        areas = [f.get('face_area') for f in faces]
        if any(a is None for a in areas):
            areas = [1.0] * len(faces)
        best, _ = select_frame_face(areas, logits, min_area_ratio)
        frames.append(dict(faces[best], num_faces=len(faces)))
    return frames
