# Copyright (c) laanet contributors. All rights reserved.
from laanet.evaluation.reports import (METRIC_COLUMNS, robustness_markdown,
                                       summarize_robustness)


def _row(kind, level, value):
    row = {c: value for c in METRIC_COLUMNS}
    return dict(row, kind=kind, level=level)


def test_markdown_says_the_metric_protocol_and_screening_tables():
    rows = [_row(None, 0, 90.0), _row('CC', 1, 80.0), _row('CC', 2, 70.0)]
    summary = summarize_robustness(rows)
    assert summary['kind_means']['CC']['video_tpr_at_fpr5'] == 75.0
    md = robustness_markdown(rows, summary, 'crop',
                             metric_protocol='deepfakebench',
                             video_grouping='full_id')
    assert md.startswith('# Robustness (crop protocol)\n')
    assert ("Metrics (in %): deepfakebench protocol (DeepfakeBench's "
            'get_test_metrics: video score = mean frame probability per '
            'full video id (the corrected grouping)') in md
    for col in ('video_auc', 'frame_auc', 'video_tpr_at_fpr1',
                'video_tpr_at_fpr5', 'video_ece', 'video_brier'):
        assert f'## {col} (%), clean: 90.00' in md
    assert '| CC (colour contrast) | 80.00 | 70.00 | 75.00 |' in md
