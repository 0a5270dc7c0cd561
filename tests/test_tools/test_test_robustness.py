# Copyright (c) laanet contributors. All rights reserved.
"""tools/analysis_tools/test_robustness.py on the demo dataset's held-out
faces (a randomly initialised quickstart model: the numbers only have to
be the tool's)."""
import csv
import glob
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import cv2
import pytest

# subprocess tools, or ffmpeg: CI runs them (LAANET_ALL_TESTS=1)
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py')
TOOL = osp.join(ROOT, 'tools', 'analysis_tools', 'test_robustness.py')


def _env():
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['OMP_NUM_THREADS'] = '1'
    return env


def _args(demo_root, ckpt, work_dir, *extra):
    return [
        sys.executable, TOOL, CONFIG, ckpt, '--work-dir',
        str(work_dir), '--no-progress', '--cfg-options',
        f'test_dataloader.dataset.data_root={demo_root}', *extra
    ]


def _run(args):
    proc = subprocess.run(args, cwd=ROOT, env=_env(), capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def test_reports_and_clean_row_equals_test_tool(demo_root, random_checkpoint,
                                                tmp_path):
    ckpt = random_checkpoint
    work = tmp_path / 'rob'
    out = _run(_args(demo_root, ckpt, work, '--kinds', 'CC',
                     'jpeg_quality', '--levels', '1,5'))
    assert '5 settings computed' in out
    report = json.load(open(work / 'robustness.json'))
    names = [r['setting'] for r in report['settings']]
    assert names == [
        'clean', 'CC:1', 'CC:5', 'jpeg_quality:1', 'jpeg_quality:5'
    ]
    cc = [r for r in report['settings'] if r['kind'] == 'CC']
    assert report['kind_means']['CC']['video_auc'] == pytest.approx(
        (cc[0]['video_auc'] + cc[1]['video_auc']) / 2)
    assert report['overall_mean']['frame_auc'] == pytest.approx(
        sum(m['frame_auc'] for m in report['kind_means'].values()) / 2)
    rows = list(csv.DictReader(open(work / 'robustness.csv')))
    assert [r['setting'] for r in rows][-3:] == [
        'CC:mean', 'jpeg_quality:mean', 'mean'
    ]
    md = open(work / 'robustness.md').read()
    assert '| CC (colour contrast) |' in md and 'crop protocol' in md
    assert "Metrics (in %): official protocol (LAA-Net's" in md
    assert '## video_tpr_at_fpr5 (%), clean:' in md
    assert '## video_ece (%), clean:' in md
    assert {r['metric_protocol'] for r in rows} == {'official'}
    for name in ('robustness.png', 'robustness_tpr_at_fpr5.png'):
        png = cv2.imread(str(work / name))
        assert png.shape == (500, 800, 3)
        assert png.std() > 10  # not blank

    # the clean row is tools/test.py on the same data, exactly
    test_dir = tmp_path / 'test'
    _run([
        sys.executable, 'tools/test.py', CONFIG, ckpt, '--work-dir',
        str(test_dir), '--cfg-options',
        f'test_dataloader.dataset.data_root={demo_root}'
    ])
    metrics_file, = glob.glob(str(test_dir / '*' / 'test_metrics.json'))
    plain = json.load(open(metrics_file))['metrics']
    clean = json.load(open(work / 'settings' / 'clean.json'))['metrics']
    assert clean == plain
    # perturbations change the scores
    scores = {
        n: [f['score'] for f in json.load(
            open(work / 'settings' / f'{n}.scores.json'))['frames']]
        for n in ('clean', 'CC5', 'jpeg_quality5')
    }
    assert scores['clean'] != scores['CC5'] != scores['jpeg_quality5']

    # another run's options in the same work dir are refused
    proc = subprocess.run(
        _args(demo_root, ckpt, work, '--seed', '3'), cwd=ROOT,
        env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0 and 'different seed' in proc.stderr


def test_killed_and_resumed(demo_root, random_checkpoint, tmp_path):
    ckpt = random_checkpoint
    work = tmp_path / 'rob'
    args = _args(demo_root, ckpt, work, '--kinds', 'BW', 'GNC',
                 '--levels', '1-2')
    proc = subprocess.Popen(args, cwd=ROOT, env=_env(),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    settings = work / 'settings'
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None:
        if len(glob.glob(str(settings / '*[0-9n].json'))) >= 2:
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = sorted(glob.glob(str(settings / '*[0-9n].json')))
    assert 2 <= len(finished) < 5
    stamps = {p: os.stat(p).st_mtime_ns for p in finished}
    out = _run(args)
    assert f'reusing {len(finished)} finished settings' in out
    assert f'{5 - len(finished)} settings computed' in out
    assert {p: os.stat(p).st_mtime_ns for p in finished} == stamps
    report = json.load(open(work / 'robustness.json'))
    assert len(report['settings']) == 5
    # a third run recomputes nothing
    assert '0 settings computed' in _run(args)


def test_frame_protocol_sets(demo_root, random_checkpoint, tmp_path):
    """One annotation per setting; a missing one is skipped and said."""
    import shutil
    ann = osp.join(demo_root, 'annotations')
    # stand-in for a set made by extract_faces.py --perturb GB:1
    shutil.copy(osp.join(ann, 'test.json'), str(tmp_path / 'test_GB1.json'))
    work = tmp_path / 'rob'
    out = _run(_args(demo_root, random_checkpoint, work, '--kinds', 'GB',
                     '--levels', '1-2', '--protocol', 'frame',
                     '--frame-ann', str(tmp_path / 'test_{kind}{level}.json'),
                     '--metric-protocol', 'deepfakebench',
                     '--video-grouping', 'full_id'))
    assert f'GB:2: skipped, no perturbed test set {tmp_path}/test_GB2.json' \
        in out
    report = json.load(open(work / 'robustness.json'))
    assert [r['setting'] for r in report['settings']] == ['clean', 'GB:1']
    assert {r['protocol'] for r in report['settings']} == {'frame'}
    # the same faces unperturbed: the clean numbers
    clean, gb1 = report['settings']
    assert clean['video_auc'] == gb1['video_auc']
    md = open(work / 'robustness.md').read()
    assert 'frame protocol' in md
    # under the metric protocol asked for, said in the report
    assert ("Metrics (in %): deepfakebench protocol (DeepfakeBench's "
            'get_test_metrics: video score = mean frame probability per '
            'full video id') in md
    assert {(r['metric_protocol'], r['video_grouping'])
            for r in report['settings']} == {('deepfakebench', 'full_id')}
    scores = json.load(open(work / 'settings' / 'clean.scores.json'))
    assert scores['protocol'] == 'deepfakebench'
