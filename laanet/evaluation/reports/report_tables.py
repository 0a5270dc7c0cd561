# Copyright (c) laanet contributors. All rights reserved.
"""Markdown / CSV tables and the scores files of ``tools/test.py --out``."""
import csv
import json
import math
from typing import Dict, List, Optional, Sequence

import numpy as np

from laanet.utils.media import atomic_write_csv

#: Report column -> key of :class:`~laanet.evaluation.DeepfakeMetric`'s
#: output (without the ``deepfake/`` prefix), in percent.
METRIC_COLUMNS: Dict[str, str] = dict(
    frame_auc='auc',
    frame_ap='ap',
    frame_acc='acc',
    frame_eer='eer',
    video_auc='video_auc',
    video_ap='video_ap',
    video_acc='video_acc',
    video_eer='video_eer',
    frame_tpr_at_fpr1='tpr_at_fpr1',
    frame_tpr_at_fpr5='tpr_at_fpr5',
    frame_ece='ece',
    frame_brier='brier',
    video_tpr_at_fpr1='video_tpr_at_fpr1',
    video_tpr_at_fpr5='video_tpr_at_fpr5',
    video_ece='video_ece',
    video_brier='video_brier')


def metric_row(metrics: Dict[str, float],
               prefix: str = 'deepfake') -> Dict[str, Optional[float]]:
    """Pick the report columns out of a metrics dict.

    Args:
        metrics (dict): What ``runner.test()`` returns.
        prefix (str): The metric's prefix. Defaults to ``'deepfake'``.

    Returns:
        dict: Column -> value (None where the metric is missing or NaN).
    """
    row = {}
    for col, key in METRIC_COLUMNS.items():
        value = metrics.get(f'{prefix}/{key}' if prefix else key)
        if value is not None:
            value = float(value)
            if math.isnan(value):
                value = None
        row[col] = value
    return row


def format_number(value, digits: int = 2) -> str:
    """A table cell: numbers rounded, None as a dash."""
    if value is None:
        return '-'
    if isinstance(value, float):
        return f'{value:.{digits}f}'
    return str(value)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A GitHub markdown table.

    Args:
        header (Sequence[str]): Column titles.
        rows (Sequence[Sequence]): Cells (numbers are formatted).

    Returns:
        str: The table, ending with a newline.
    """
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '|'.join('---' for _ in header) + '|']
    for row in rows:
        lines.append('| ' + ' | '.join(format_number(c) for c in row) + ' |')
    return '\n'.join(lines) + '\n'


def write_csv(path: str, columns: Sequence[str], rows: List[dict]) -> None:
    """Write dict rows as CSV atomically (missing cells left empty).

    Args:
        path (str): The file.
        columns (Sequence[str]): Column order.
        rows (list[dict]): The rows.
    """
    atomic_write_csv(
        path,
        columns, ({k: '' if row.get(k) is None else row[k]
                   for k in columns} for row in rows),
        extrasaction='ignore')


def sample_unit(frames: List[dict]) -> str:
    """What one sample of a scores file is: ``'clip'`` when the samples
    hold a list of frame paths (clip models, e.g. FakeSTormer: the
    "frame-level" metrics are then clip-level), else ``'frame'``.

    Args:
        frames (list[dict]): The ``frames`` of a ``tools/test.py --out``
            JSON file.

    Returns:
        str: ``'clip'`` or ``'frame'``.
    """
    if frames and isinstance(frames[0].get('img_path'), list):
        return 'clip'
    return 'frame'


def read_scores(path: str, level: str = 'video') -> Dict[str, np.ndarray]:
    """Scores and labels from a ``--out`` file of ``tools/test.py``.

    Args:
        path (str): The ``.json`` or ``.csv`` scores file.
        level (str): ``'frame'`` or ``'video'``. Defaults to ``'video'``.

    Returns:
        dict: ``scores`` (float64) and ``labels`` (int64) arrays.

    Raises:
        ValueError: If the file is not a scores file.
    """
    if level not in ('frame', 'video'):
        raise ValueError(f"level must be 'frame' or 'video', got {level!r}")
    with open(path, encoding='utf-8', newline='') as f:
        if path.endswith('.csv'):
            items = [r for r in csv.DictReader(f) if r.get('level') == level]
            ok = bool(items)
        else:
            payload = json.load(f)
            ok = isinstance(payload, dict) and f'{level}s' in payload
            items = payload[f'{level}s'] if ok else []
    if not ok:
        raise ValueError(f'{path}: not a scores file of tools/test.py '
                         f'--out (no {level} scores).')
    return dict(
        scores=np.array([float(r['score']) for r in items],
                        dtype=np.float64),
        labels=np.array([int(r['label']) for r in items], dtype=np.int64))
