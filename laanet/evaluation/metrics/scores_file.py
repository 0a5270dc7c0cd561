# Copyright (c) laanet contributors. All rights reserved.
"""The scores file of :class:`~laanet.evaluation.DeepfakeMetric`
(``tools/test.py --out``): its video records and its JSON / CSV layout."""
import csv
import json
from typing import Dict, List, Optional, Sequence

from laanet.utils.media import atomic_write
from ..functional import dfb_aggregate_videos

#: Columns of the CSV scores file.
SCORES_COLUMNS = ('level', 'video_id', 'frame_idx', 'img_path',
                  'manipulation', 'label', 'logit', 'score', 'num_frames',
                  'method', 'dfb_frame_path')


def dfb_video_records(keys: Sequence, results: List[dict]) -> List[dict]:
    """The videos of the DeepfakeBench protocol, as scores-file records.

    Args:
        keys (Sequence): The video key of each frame.
        results (list[dict]): The per-frame results (``score``, ``label``,
            ``manipulation``, ``method``).

    Returns:
        list[dict]: Per video: ``video_id`` (its key), ``label``,
        ``score`` (:func:`dfb_aggregate_videos`), ``logit`` (None),
        ``num_frames``, and ``manipulation`` / ``method`` where all its
        frames share one (else None: a merged folder name).
    """
    v_scores, v_labels, groups = dfb_aggregate_videos(
        keys, [r['score'] for r in results], [r['label'] for r in results])
    videos = []
    for idx, score, label in zip(groups, v_scores, v_labels):
        common = {}
        for key in ('manipulation', 'method'):
            values = {results[i][key] for i in idx}
            common[key] = values.pop() if len(values) == 1 else None
        videos.append(
            dict(video_id=keys[idx[0]], label=int(label), score=float(score),
                 logit=None, num_frames=len(idx), **common))
    return videos


def write_scores_file(path: str, header: Dict, frames: List[dict],
                      videos: List[dict],
                      faces: Optional[List[dict]] = None) -> None:
    """Write a scores file atomically.

    JSON: ``header`` (``metrics``, ``protocol``, ...), then ``frames``,
    ``videos`` and, when given, ``faces``. CSV: one row per face (level
    ``face``, when given), frame and video, :data:`SCORES_COLUMNS`.

    Args:
        path (str): A ``.json`` or ``.csv`` file.
        header (dict): The JSON's leading keys (not in the CSV).
        frames (list[dict]): Per-frame records.
        videos (list[dict]): Per-video records.
        faces (list[dict], optional): Per-face records.
    """
    if path.endswith('.json'):
        payload = dict(header, frames=frames, videos=videos)
        if faces is not None:
            payload['faces'] = faces
        atomic_write(path, lambda f: json.dump(payload, f, indent=1))
        return
    rows = [dict(r, level='face', num_frames=1) for r in faces or []]
    rows += [dict(r, level='frame', num_frames=1) for r in frames]
    rows += [dict(v, level='video') for v in videos]

    def write(f):
        writer = csv.DictWriter(f, fieldnames=SCORES_COLUMNS, restval='',
                                extrasaction='ignore')
        writer.writeheader()
        writer.writerows(rows)

    atomic_write(path, write)


def load_scores_json(path: str,
                     purpose: str,
                     keys: Sequence[str] = ('frames', 'videos')) -> dict:
    """Read a JSON scores file of ``tools/test.py --out``.

    Args:
        path (str): The file.
        purpose (str): What needs it, for the error (``'calibration'``).
        keys (Sequence[str]): Entries it must have. Defaults to
            ``('frames', 'videos')``.

    Returns:
        dict: Its content.

    Raises:
        ValueError: For a ``.csv`` file (it drops the types) or a JSON
            file without ``keys``, naming the file.
    """
    if not path.endswith('.json'):
        raise ValueError(f'{path}: {purpose} needs the .json scores file of '
                         'tools/test.py --out (the .csv one drops the '
                         'types).')
    with open(path, encoding='utf-8') as f:
        payload = json.load(f)
    if not (isinstance(payload, dict) and all(k in payload for k in keys)):
        raise ValueError(f'{path}: not a scores file of tools/test.py --out '
                         f'(no {" / ".join(keys)}).')
    return payload
