# Copyright (c) laanet contributors. All rights reserved.
"""cross_dataset_report.py names the sample level of clip models."""
import argparse

from laanet.evaluation.reports import sample_unit
from laanet.testing import load_tool


def _row(name, unit):
    return dict(set=name, status='done', unit=unit, protocol='official',
                video_grouping='full_id', frame_auc=90.,
                frame_ap=91., frame_eer=10., video_auc=95., video_ap=96.,
                video_eer=5., config=f'{name}.py', dataset=None)


def test_clip_sets_report_clip_level_metrics(tmp_path):
    assert sample_unit([dict(img_path=['a/000.png', 'a/001.png'])]) == 'clip'
    assert sample_unit([dict(img_path='a/000.png')]) == 'frame'
    assert sample_unit([]) == 'frame'
    tool = load_tool('tools/analysis_tools/cross_dataset_report.py')
    args = argparse.Namespace(work_dir=str(tmp_path), checkpoint='c.pth',
                              paper_model=None, calibration=None,
                              metric_protocols=['official'])
    tool.write_reports(args, [_row('cdf', 'clip'), _row('dfd', 'clip')], {},
                       [])
    md = (tmp_path / 'cross_dataset.md').read_text()
    assert '| set | clip AUC | clip AP | clip EER | video AUC' in md
    tool.write_reports(args, [_row('cdf', 'clip'), _row('ff', 'frame')], {},
                       [])
    md = (tmp_path / 'cross_dataset.md').read_text()
    assert '| set | frame AUC | frame AP | frame EER | video AUC' in md
