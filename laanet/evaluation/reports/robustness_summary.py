# Copyright (c) laanet contributors. All rights reserved.
"""Settings and summary of a robustness run (kinds x levels)."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from laanet.datasets.perturbations import (COMMON_KINDS, DF1_KINDS,
                                           DF1_NAMES)
from .cross_dataset_tables import protocol_title
from .report_tables import METRIC_COLUMNS, markdown_table

#: Columns of ``robustness.csv``.
ROBUSTNESS_COLUMNS: Tuple[str, ...] = ('setting', 'kind', 'level',
                                       'protocol', 'metric_protocol',
                                       'video_grouping') + tuple(
                                           METRIC_COLUMNS)
#: The metrics that get a kinds x levels table in ``robustness.md``.
ROBUSTNESS_TABLES = ('video_auc', 'frame_auc', 'video_tpr_at_fpr1',
                     'video_tpr_at_fpr5', 'video_ece', 'video_brier')


def parse_levels(text: str) -> List[int]:
    """``'1-5'``, ``'2'`` or ``'1,3,5'`` -> sorted levels in 1..5.

    Args:
        text (str): The ``--levels`` value.

    Returns:
        list[int]: The levels.

    Raises:
        ValueError: On anything else.
    """
    levels = set()
    try:
        for part in text.split(','):
            if '-' in part:
                lo, hi = (int(v) for v in part.split('-'))
                levels.update(range(lo, hi + 1))
            else:
                levels.add(int(part))
    except ValueError:
        raise ValueError(f'--levels: expected e.g. 1-5 or 1,3, got {text!r}')
    if not levels or not levels <= {1, 2, 3, 4, 5}:
        raise ValueError(f'--levels must lie in 1..5, got {text!r}')
    return sorted(levels)


def setting_name(kind: Optional[str], level: int) -> str:
    """``'clean'`` or ``'KIND:LEVEL'``."""
    return 'clean' if kind is None else f'{kind}:{level}'


def robustness_settings(kinds: Sequence[str],
                        levels: Sequence[int]) -> List[Tuple]:
    """The clean setting, then every kind at every level.

    Args:
        kinds (Sequence[str]): DF1 codes and/or common kinds.
        levels (Sequence[int]): Levels in 1..5.

    Returns:
        list[tuple]: ``(name, kind, level)``; the clean one is
        ``('clean', None, 0)``.

    Raises:
        ValueError: On an unknown kind.
    """
    for kind in kinds:
        if kind not in DF1_KINDS and kind not in COMMON_KINDS:
            raise ValueError(f'Unknown perturbation {kind!r}: expected DF1 '
                             f'codes {DF1_KINDS} or common kinds '
                             f'{COMMON_KINDS}.')
    out = [('clean', None, 0)]
    for kind in dict.fromkeys(kinds):
        out += [(setting_name(kind, lv), kind, lv) for lv in levels]
    return out


def _mean(values: List[Optional[float]]) -> Optional[float]:
    values = [v for v in values if v is not None]
    return float(np.mean(values)) if values else None


def summarize_robustness(rows: List[dict]) -> Dict:
    """Per-kind means over levels and the overall mean, as papers report.

    Args:
        rows (list[dict]): One per setting (``kind``, ``level`` and the
            :data:`METRIC_COLUMNS`); the clean one has ``kind`` None.

    Returns:
        dict: ``clean`` (the clean row or None), ``kind_means`` (kind ->
        columns) and ``overall_mean`` (the mean of the kind means).
    """
    clean = next((r for r in rows if r['kind'] is None), None)
    kinds = list(dict.fromkeys(r['kind'] for r in rows if r['kind']))
    kind_means = {}
    for kind in kinds:
        sub = [r for r in rows if r['kind'] == kind]
        kind_means[kind] = {c: _mean([r[c] for r in sub])
                            for c in METRIC_COLUMNS}
        kind_means[kind]['levels'] = sorted(r['level'] for r in sub)
    overall = {c: _mean([m[c] for m in kind_means.values()])
               for c in METRIC_COLUMNS} if kind_means else None
    return dict(clean=clean, kind_means=kind_means, overall_mean=overall)


def robustness_markdown(rows: List[dict],
                        summary: Dict,
                        protocol: str,
                        columns: Sequence[str] = ROBUSTNESS_TABLES,
                        metric_protocol: str = 'official',
                        video_grouping: Optional[str] = None) -> str:
    """The markdown report: one kinds x levels table per column.

    Args:
        rows (list[dict]): The settings' rows.
        summary (dict): :func:`summarize_robustness`'s output.
        protocol (str): ``'crop'`` or ``'frame'`` (said in the title).
        columns (Sequence[str]): Which metrics get a table. Defaults to
            :data:`ROBUSTNESS_TABLES`.
        metric_protocol (str): The metric protocol that made the numbers
            (said under the title). Defaults to ``'official'``.
        video_grouping (str, optional): Its video grouping.

    Returns:
        str: The markdown.
    """
    levels = sorted({r['level'] for r in rows if r['kind']})
    by_key = {(r['kind'], r['level']): r for r in rows}
    metrics_title = protocol_title(metric_protocol, video_grouping)
    text = [f'# Robustness ({protocol} protocol)\n',
            f'Metrics (in %): {metrics_title}.\n']
    for col in columns:
        clean = summary['clean'][col] if summary['clean'] else None
        body = []
        for kind, means in summary['kind_means'].items():
            cells = [by_key.get((kind, lv), {}).get(col) for lv in levels]
            body.append([f'{kind} ({DF1_NAMES.get(kind, kind)})'] + cells +
                        [means[col]])
        if summary['overall_mean']:
            body.append(['**mean**'] + [None] * len(levels) +
                        [summary['overall_mean'][col]])
        header = ['kind'] + [f'L{lv}' for lv in levels] + ['mean']
        text.append(f'## {col} (%), clean: '
                    f'{"-" if clean is None else f"{clean:.2f}"}\n')
        text.append(markdown_table(header, body))
    return '\n'.join(text)
