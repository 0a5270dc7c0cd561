# Copyright (c) laanet contributors. All rights reserved.
"""The metrics of a stored scores file, under any protocol.

A scores file of ``tools/test.py --out`` (JSON) holds every frame (or
face) as :class:`~laanet.evaluation.DeepfakeMetric` recorded it, so the
metrics of any protocol come from it without running the model again:
:func:`rescore`. The cross-dataset report scores each tested set this
way under every protocol asked for.
"""
import json
from typing import Dict, List, Optional

from ..metrics import DeepfakeMetric
from ..metrics.scores_file import load_scores_json

#: The :class:`DeepfakeMetric` arguments a scores file is re-scored with
#: (besides the protocol): what :func:`metric_settings` records.
SETTING_KEYS = ('threshold', 'video_score', 'per_manipulation',
                'min_face_area_ratio', 'breakdown_key', 'fpr_targets',
                'ece_bins', 'protocol', 'video_grouping')

#: What :meth:`DeepfakeMetric.process` records per sample.
RECORD_KEYS = ('score', 'logit', 'label', 'video_id', 'frame_idx',
               'manipulation', 'img_path', 'face_area', 'method',
               'dfb_frame_path')


def metric_settings(metric: DeepfakeMetric) -> dict:
    """The settings of a built metric, JSON-ready.

    Args:
        metric (DeepfakeMetric): The metric.

    Returns:
        dict: :data:`SETTING_KEYS` -> value.
    """
    out = {k: getattr(metric, k) for k in SETTING_KEYS}
    out['fpr_targets'] = list(out['fpr_targets'])
    return out


def load_scores_records(path: str) -> List[dict]:
    """The per-sample records of a JSON scores file: its ``faces`` where
    frames had several faces, else its ``frames``.

    Args:
        path (str): A ``.json`` scores file of ``tools/test.py --out``.

    Returns:
        list[dict]: One record per sample (:data:`RECORD_KEYS`; keys an
        older file lacks are None).

    Raises:
        ValueError: If the file is not a JSON scores file.
    """
    payload = load_scores_json(path, 're-scoring', keys=('frames', ))
    items = payload.get('faces') or payload['frames']
    return [{k: r.get(k) for k in RECORD_KEYS} for r in items]


def rescore(path: str,
            protocol: str = 'official',
            video_grouping: Optional[str] = None,
            settings: Optional[dict] = None) -> Dict[str, float]:
    """The metrics of a scores file under ``protocol``.

    Args:
        path (str): A ``.json`` scores file of ``tools/test.py --out``.
        protocol (str): ``'official'`` or ``'deepfakebench'``.
        video_grouping (str, optional): Under ``'deepfakebench'``:
            ``'dfb_basename'`` (None, the default) or ``'full_id'``.
        settings (dict, optional): The metric's other settings
            (:func:`metric_settings` of the metric that wrote the file;
            their protocol, grouping and, for another protocol, video
            score are replaced). None: the defaults, with the file's
            ``video_score`` under its own protocol.

    Returns:
        dict: The metrics, in percent, without prefix (as
        :meth:`DeepfakeMetric.compute_metrics` returns them).
    """
    records = load_scores_records(path)
    kwargs = dict(settings or {})
    if settings is None:
        with open(path, encoding='utf-8') as f:
            payload = json.load(f)
        kwargs = dict(protocol=payload.get('protocol', 'official'),
                      video_score=payload.get('video_score'))
    if kwargs.get('protocol', 'official') != protocol:
        kwargs.pop('video_score', None)
    kwargs.update(protocol=protocol, video_grouping=video_grouping)
    if protocol == 'official':
        kwargs['video_grouping'] = None
    return DeepfakeMetric(**kwargs).compute_metrics(records)
