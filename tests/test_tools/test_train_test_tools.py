# Copyright (c) laanet contributors. All rights reserved.
"""tools/train.py, tools/test.py and tools/dist_*.sh on the toy config."""
import csv
import glob
import json
import os
import os.path as osp
import signal
import socket
import subprocess
import sys

import numpy as np
import pytest
import torch
from sklearn import metrics as skm

from laanet.engine import enable_mmengine_checkpoints

# slow: subprocess train / test / resume runs
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY_CFG = osp.join(ROOT, 'tests', 'data', 'toy_sam_config.py')


def _env():
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env['PATH']
    env['OMP_NUM_THREADS'] = '1'
    return env


def _run(args, check=True):
    proc = subprocess.run(
        args,
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=240)
    if check and proc.returncode != 0:
        output = proc.stdout + proc.stderr
        errors = [x for x in output.splitlines() if 'Error' in x]
        raise AssertionError(f'{args} failed ({proc.returncode}):\n' +
                             '\n'.join(errors[:20]) + '\n' + output[-3000:])
    return proc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _train(work_dir, *extra, config=TOY_CFG, check=True):
    return _run([
        sys.executable, 'tools/train.py', config, '--work-dir',
        str(work_dir), *extra
    ],
                check=check)


def _state(path):
    enable_mmengine_checkpoints()  # the runner's checkpoints, as it loads them
    return torch.load(path, map_location='cpu')


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """An uninterrupted 3-epoch run."""
    work_dir = tmp_path_factory.mktemp('full')
    _train(work_dir)
    return work_dir


def test_train_writes_last_and_best_and_logs_metrics(trained):
    assert osp.isfile(trained / 'epoch_3.pth')
    assert not osp.exists(trained / 'epoch_2.pth')  # keeps the last only
    assert glob.glob(str(trained / 'best_deepfake_video_auc_epoch_*.pth'))
    scalars = glob.glob(str(trained / '*' / 'vis_data' / 'scalars.json'))
    lines = [json.loads(x) for x in open(scalars[0])]
    val = [x for x in lines if 'deepfake/video_auc' in x]
    assert len(val) == 3
    assert {'deepfake/auc', 'deepfake/eer',
            'deepfake/auc_Deepfakes'} <= set(val[0])
    losses = [x['loss'] for x in lines if 'loss' in x]
    assert np.mean(losses[-6:]) < np.mean(losses[:6])
    # The per-epoch LinearLR warm-up of the schedule: 1e-2 * 0.25 at
    # epoch 0, + 0.03 * 1e-2 per epoch.
    lrs = sorted({(x['epoch'], round(x['lr'], 9)) for x in lines if 'lr' in x})
    assert [lr for _, lr in lrs] == pytest.approx([2.5e-3, 2.8e-3, 3.1e-3])


def test_kill_and_resume_gives_identical_weights(trained, tmp_path):
    crash_cfg = tmp_path / 'crash.py'
    crash_cfg.write_text(
        f'_base_ = [{TOY_CFG!r}]\n'
        'custom_hooks = [\n'
        "    dict(type='FreezeBackboneHook', unfreeze_epoch=1),\n"
        "    dict(type='SimulatedCrashHook', at_iter=9)]\n")
    work_dir = tmp_path / 'crashed'
    proc = _train(work_dir, config=str(crash_cfg), check=False)
    assert proc.returncode == -signal.SIGKILL
    assert osp.isfile(work_dir / 'epoch_1.pth')
    assert not osp.exists(work_dir / 'epoch_2.pth')
    _train(work_dir, '--resume')
    full, resumed = _state(trained / 'epoch_3.pth'), _state(work_dir /
                                                            'epoch_3.pth')
    for key, value in full['state_dict'].items():
        torch.testing.assert_close(
            resumed['state_dict'][key], value, rtol=0, atol=0, msg=key)
    torch.testing.assert_close(
        resumed['optimizer']['state'],
        full['optimizer']['state'],
        rtol=0,
        atol=0)
    assert resumed['param_schedulers'] == full['param_schedulers']


def _read_csv(path):
    rows = list(csv.DictReader(open(path)))
    frames = [r for r in rows if r['level'] == 'frame']
    videos = [r for r in rows if r['level'] == 'video']
    return frames, videos


def _metrics(work_dir):
    path = glob.glob(str(work_dir / '*' / 'test_metrics.json'))
    assert len(path) == 1
    return json.load(open(path[0]))['metrics']


def test_test_tool_scores_overlays_and_tta(trained, tmp_path):
    ckpt = str(trained / 'epoch_3.pth')
    work_dir = tmp_path / 'test'
    _run([
        sys.executable, 'tools/test.py', TOY_CFG, ckpt, '--work-dir',
        str(work_dir), '--out',
        str(tmp_path / 'scores.csv'), '--show-dir', 'vis', '--tta'
    ])
    metrics = _metrics(work_dir)
    frames, videos = _read_csv(tmp_path / 'scores.csv')
    assert len(frames) == 12 and len(videos) == 4
    assert metrics['deepfake/auc'] == pytest.approx(100 * skm.roc_auc_score(
        [int(r['label']) for r in frames], [float(r['score'])
                                            for r in frames]))
    v_labels = [int(r['label']) for r in videos]
    v_scores = [float(r['score']) for r in videos]
    assert metrics['deepfake/video_auc'] == pytest.approx(
        100 * skm.roc_auc_score(v_labels, v_scores))
    assert metrics['deepfake/video_ap'] == pytest.approx(
        100 * skm.average_precision_score(v_labels, v_scores))
    overlays = glob.glob(str(work_dir / '*' / 'vis' / '*.png'))
    assert len(overlays) == 12

    # Without flip testing the scores change.
    _run([
        sys.executable, 'tools/test.py', TOY_CFG, ckpt, '--work-dir',
        str(tmp_path / 'test2'), '--out',
        str(tmp_path / 'scores.json'), '--no-tta'
    ])
    plain = json.load(open(tmp_path / 'scores.json'))['frames']
    assert [f['img_path'] for f in plain] == [r['img_path'] for r in frames]
    assert not np.allclose([f['score'] for f in plain],
                           [float(r['score']) for r in frames])


def test_dist_train_and_test_two_cpu_processes(trained, tmp_path):
    work_dir = tmp_path / 'dist'
    env_port = dict(PORT=str(_free_port()))
    os.environ.update(env_port)
    try:
        _run([
            'bash', 'tools/dist_train.sh', TOY_CFG, '2', '--work-dir',
            str(work_dir)
        ])
    finally:
        os.environ.pop('PORT')
    # 24 training frames, batch 4: 6 iterations per epoch on one process,
    # 3 per process on two.
    assert _state(work_dir / 'epoch_3.pth')['meta']['iter'] == 9
    assert _state(trained / 'epoch_3.pth')['meta']['iter'] == 18
    assert osp.isfile(work_dir / 'epoch_3.pth')
    assert glob.glob(str(work_dir / 'best_deepfake_video_auc_epoch_*.pth'))

    # Testing one checkpoint with 2 processes gives the 1-process numbers.
    ckpt = str(trained / 'epoch_3.pth')
    os.environ['PORT'] = str(_free_port())
    try:
        _run([
            'bash', 'tools/dist_test.sh', TOY_CFG, ckpt, '2', '--work-dir',
            str(tmp_path / 'dtest'), '--out',
            str(tmp_path / 'd.json')
        ])
    finally:
        os.environ.pop('PORT')
    _run([
        sys.executable, 'tools/test.py', TOY_CFG, ckpt, '--work-dir',
        str(tmp_path / 'stest'), '--out',
        str(tmp_path / 's.json')
    ])
    dist_m, single_m = _metrics(tmp_path / 'dtest'), _metrics(tmp_path /
                                                              'stest')
    assert dist_m.keys() == single_m.keys()
    for key in single_m:
        assert dist_m[key] == pytest.approx(single_m[key]), key
    assert len(json.load(open(tmp_path / 'd.json'))['frames']) == 12
