# Copyright (c) laanet contributors. All rights reserved.
"""The tables of the cross-dataset report, one block per metric protocol.

Every number of the report is in a block headed by the protocol that
made it (:func:`protocol_title`); the CSV and JSON rows carry it in their
``protocol`` and ``video_grouping`` columns.
"""
import math
from typing import Dict, List, Optional, Sequence

from ..metrics import DeepfakeMetric
from .report_tables import markdown_table

#: Columns of ``cross_dataset_methods.csv``.
METHOD_COLUMNS = ('set', 'protocol', 'video_grouping', 'method',
                  'fake_frames', 'fake_videos', 'real_frames', 'frame_auc',
                  'video_auc')

#: What each protocol is, in a report's words.
PROTOCOL_NOTES = {
    'official': ('LAA-Net\'s: video score = sigmoid of the mean frame logit '
                 'per video id, EER interpolated on the ROC curve, ACC at '
                 'p >= 0.5'),
    'deepfakebench': ('DeepfakeBench\'s get_test_metrics: video score = '
                      'mean frame probability per {grouping}, EER at the '
                      'ROC point nearest the crossing, ACC at p > 0.5'),
}
GROUPING_NOTES = {
    'dfb_basename': 'video folder name (DeepfakeBench\'s grouping)',
    'full_id': 'full video id (the corrected grouping)',
}


def protocol_title(protocol: str, video_grouping: Optional[str]) -> str:
    """``'<protocol> protocol (<what it is>)'``."""
    note = PROTOCOL_NOTES[protocol].format(
        grouping=GROUPING_NOTES.get(video_grouping, video_grouping))
    return f'{protocol} protocol ({note})'


def method_rows(set_name: str, protocol: str, video_grouping: str,
                metrics: Dict[str, float], records: List[dict],
                breakdown_key: Optional[str] = None) -> List[dict]:
    """One row per fake method of a set: its fakes against all the set's
    reals (the reals are shared by every method, as DeepfakeBench's
    per-method JSONs and DF40 pair them).

    Args:
        set_name (str): The set.
        protocol (str): The protocol of ``metrics``.
        video_grouping (str): Its video grouping.
        metrics (dict): :class:`DeepfakeMetric` output (``auc_<m>``,
            ``video_auc_<m>``).
        records (list[dict]): The set's per-sample records
            (:func:`~laanet.evaluation.reports.load_scores_records`).
        breakdown_key (str, optional): The metric's ``breakdown_key``.

    Returns:
        list[dict]: :data:`METHOD_COLUMNS` rows, by method name.
    """
    values = DeepfakeMetric(breakdown_key=breakdown_key).breakdown_values(
        records) or []
    real_frames = sum(r['label'] == 0 for r in records)
    rows = []
    for m in sorted({str(v) for v, r in zip(values, records)
                     if r['label'] == 1 and v is not None}):
        fakes = [r for v, r in zip(values, records)
                 if r['label'] == 1 and str(v) == m]
        rows.append(dict(
            set=set_name, protocol=protocol, video_grouping=video_grouping,
            method=m, fake_frames=len(fakes),
            fake_videos=len({r['video_id'] for r in fakes}),
            real_frames=real_frames, frame_auc=_number(metrics, f'auc_{m}'),
            video_auc=_number(metrics, f'video_auc_{m}')))
    return rows


def _number(metrics: Dict[str, float], key: str) -> Optional[float]:
    value = metrics.get(key)
    return None if value is None or math.isnan(value) else float(value)


def _paper(row: dict) -> str:
    return ' / '.join(f'{row[k]:.2f}'
                      for k in ('paper_video_auc', 'paper_video_ap')
                      if row.get(k) is not None) or '-'


def _cells(row: dict, columns: Sequence[str]) -> list:
    if row['status'] != 'done':
        return [f'{row["set"]} ({row["status"]})'] + [None] * len(columns)
    return [row['set']] + [row.get(c) for c in columns]


def cross_dataset_markdown(checkpoint: str, paper_model: Optional[str],
                           rows: List[dict],
                           methods: List[dict]) -> str:
    """The report: per protocol, the main table (with the paper's numbers
    under the official protocol), the screening table and the per-method
    table.

    Args:
        checkpoint (str): The checkpoint.
        paper_model (str, optional): The metafile model of the paper's
            numbers.
        rows (list[dict]): One per set and protocol (``protocol``,
            ``video_grouping``, ``status``, the metric columns and
            ``unit``: ``'clip'`` labels the sample-level columns of a clip
            model's sets).
        methods (list[dict]): :func:`method_rows` of every set.

    Returns:
        str: The markdown.
    """
    text = [f'# Cross-dataset report\n\ncheckpoint: `{checkpoint}`; paper '
            f'numbers: `{paper_model}` in the metafile; metrics in %; TPR@FPR '
            'x %: the largest TPR at an FPR within x %; ECE: 10 bins of '
            'P(fake); Brier: mean (P(fake) - label)², x 100.\n']
    blocks = list(dict.fromkeys((r['protocol'], r['video_grouping'])
                                for r in rows))
    main = ('frame_auc', 'frame_ap', 'frame_eer', 'video_auc', 'video_ap',
            'video_eer')
    screening = ('frame_tpr_at_fpr1', 'frame_tpr_at_fpr5',
                 'video_tpr_at_fpr1', 'video_tpr_at_fpr5', 'frame_ece',
                 'video_ece', 'frame_brier', 'video_brier')
    for protocol, grouping in blocks:
        sub = [r for r in rows if (r['protocol'], r['video_grouping']) == (
            protocol, grouping)]
        title = protocol_title(protocol, grouping)
        # clip models (FakeSTormer) score clips: their sample level is clips
        units = {r.get('unit', 'frame') for r in sub if r['status'] == 'done'}
        unit = units.pop() if len(units) == 1 else 'frame'
        header = ['set', f'{unit} AUC', f'{unit} AP', f'{unit} EER',
                  'video AUC', 'video AP', 'video EER']
        body = [_cells(r, main) for r in sub]
        if protocol == 'official':
            header.append('paper video AUC / AP')
            body = [b + [_paper(r)] for b, r in zip(body, sub)]
        text.append(f'## {title}\n')
        text.append(markdown_table(header, body))
        text.append(f'### Screening metrics, {protocol} protocol\n')
        text.append(markdown_table(
            ['set', f'{unit} TPR@FPR1%', f'{unit} TPR@FPR5%',
             'video TPR@FPR1%', 'video TPR@FPR5%', f'{unit} ECE', 'video ECE',
             f'{unit} Brier', 'video Brier'],
            [_cells(r, screening) for r in sub]))
        per_method = [m for m in methods
                      if (m['protocol'], m['video_grouping']) == (protocol,
                                                                  grouping)]
        if per_method:
            text.append(f'### Per method, {protocol} protocol (each '
                        'method\'s fakes against all reals of its set)\n')
            text.append(markdown_table(
                ['set', 'method', 'fake frames', 'fake videos',
                 'real frames', 'frame AUC', 'video AUC'],
                [[m[c] for c in METHOD_COLUMNS if c not in (
                    'protocol', 'video_grouping')] for m in per_method]))
    return '\n'.join(text)
