# Copyright (c) laanet contributors. All rights reserved.
"""tools/analysis_tools/cross_dataset_report.py and tools/test.py --plots
on two small test sets built here (one with its data missing)."""
import csv
import glob
import json
import os.path as osp
import subprocess
import sys

import cv2
import pytest

from laanet.testing import load_tool

# subprocess tools, or ffmpeg: CI runs them (LAANET_ALL_TESTS=1)
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py')


def _set_config(path, data_root):
    path.write_text(f'_base_ = [{CONFIG!r}]\n'
                    f'test_dataloader = dict(dataset=dict('
                    f'data_root={str(data_root) + "/"!r}))\n')
    return str(path)


def _tool():
    return load_tool('tools/analysis_tools/cross_dataset_report.py')


def test_report_and_test_plots(demo_root, random_checkpoint, tmp_path,
                               capsys):
    ckpt = random_checkpoint
    ok = _set_config(tmp_path / 'demo_set.py', demo_root)
    gone = _set_config(tmp_path / 'gone_set.py', tmp_path / 'nowhere')
    celeb = osp.join(ROOT, 'configs', 'laanet', 'test',
                     'laanet_efn-b4-efpn_test_celebdf-v2-384px.py')
    work = tmp_path / 'report'
    rows = _tool().main([
        ckpt, ok, gone, celeb, '--work-dir',
        str(work), '--no-progress'
    ])
    out = capsys.readouterr().out
    assert f'gone_set: skipped, no test data ({tmp_path}/nowhere/' in out
    assert '1 of 3 sets tested' in out
    assert [r['status'] for r in rows][0] == 'done'
    assert rows[1]['status'].startswith('missing: ')
    # the paper's numbers come from the metafile
    assert rows[2]['paper_video_auc'] == 95.40
    assert rows[2]['dataset'] == 'Celeb-DF v2'
    md = open(work / 'cross_dataset.md').read()
    assert '| gone_set (missing: ' in md and '95.40 / 97.64' in md
    table = list(csv.DictReader(open(work / 'cross_dataset.csv')))
    assert [r['set'] for r in table] == ['demo_set', 'gone_set',
                                         'laanet_efn-b4-efpn_test_'
                                         'celebdf-v2-384px']
    for png in ('roc_video.png', 'roc_frame.png', 'score_hist_video.png'):
        assert cv2.imread(str(work / png)).shape == (500, 800, 3)

    # the numbers are tools/test.py's
    test_dir = tmp_path / 'test'
    proc = subprocess.run([
        sys.executable, 'tools/test.py', ok, ckpt, '--work-dir',
        str(test_dir), '--plots', '--metric-protocol', 'official'
    ], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(__import__('os').environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    metrics_file, = glob.glob(str(test_dir / '*' / 'test_metrics.json'))
    plain = json.load(open(metrics_file))['metrics']
    stored = json.load(open(work / 'sets' / 'demo_set' / 'metrics.json'))
    assert stored['metrics'] == plain
    assert float(table[0]['video_auc']) == plain['deepfake/video_auc']
    assert float(table[0]['frame_eer']) == plain['deepfake/eer']
    # --plots: ROC and histograms beside the metrics, scores in work_dir
    log_dir = osp.dirname(metrics_file)
    for png in ('roc.png', 'score_hist.png'):
        assert cv2.imread(osp.join(log_dir, png)).shape == (500, 800, 3)
    assert osp.isfile(test_dir / 'scores.json')

    # the screening metrics, the low-FPR ROC views and the per-method
    # table come with it
    assert float(table[0]['video_tpr_at_fpr5']) == plain[
        'deepfake/video_tpr_at_fpr5']
    assert float(table[0]['frame_ece']) == plain['deepfake/ece']
    for png in ('roc_video_low_fpr.png', 'roc_frame_low_fpr.png'):
        assert cv2.imread(str(work / png)).shape == (500, 800, 3)
    assert '## official protocol (LAA-Net' in md
    assert '### Screening metrics, official protocol' in md

    # a second run reuses the tested set, and scores it under both
    # protocols from its scores file
    rows = _tool().main([
        ckpt, ok, '--work-dir',
        str(work), '--no-progress', '--metric-protocols', 'official',
        'deepfakebench'
    ])
    assert 'demo_set: reusing' in capsys.readouterr().out
    assert [(r['protocol'], r['video_grouping']) for r in rows] == [
        ('official', 'full_id'), ('deepfakebench', 'dfb_basename')]
    official, dfb = rows
    assert official['video_auc'] == plain['deepfake/video_auc']
    assert official['frame_eer'] == plain['deepfake/eer']
    # the same ranking of frames (no saturated scores here): same frame
    # AUC; the EER, ACC and video scores follow DeepfakeBench
    assert dfb['frame_auc'] == pytest.approx(official['frame_auc'],
                                             abs=1e-9)
    md = open(work / 'cross_dataset.md').read()
    assert "## deepfakebench protocol (DeepfakeBench's get_test_metrics" in md
    assert 'video folder name' in md
    methods = list(csv.DictReader(open(work / 'cross_dataset_methods.csv')))
    assert {m['protocol'] for m in methods} == {'official', 'deepfakebench'}
    assert all(int(m['fake_frames']) > 0 for m in methods)
    assert '### Per method, deepfakebench protocol' in md
