# Copyright (c) laanet contributors. All rights reserved.
"""tools/analysis_tools/calibrate.py and tools/test.py --calibration.

A randomly initialised quickstart model ranks nothing, so the fit runs on
a scores file of synthetic logits made for that model (``--scores``); the
model itself runs on the demo dataset's test set for the errors and for
tools/test.py."""
import glob
import json
import os.path as osp
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from laanet.evaluation.calibration import (Calibration, level_logits,
                                           read_scores_json)
from laanet.testing import load_tool

# the model runs on the test set; tools/test.py in a subprocess
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py')


def _set_config(path, data_root, ann_file='annotations/test.json'):
    path.write_text(f'_base_ = [{CONFIG!r}]\n'
                    f'test_dataloader = dict(dataset=dict('
                    f'data_root={str(data_root) + "/"!r}, '
                    f'ann_file={ann_file!r}))\n')
    return str(path)


def _synthetic_scores(path, n=400):
    """A scores file of over-confident logits (temperature 2), two frames
    per video."""
    rng = np.random.default_rng(0)
    z = rng.normal(0.0, 2.0, n // 2).repeat(2) + rng.normal(0, 0.3, n)
    labels = (rng.random(n // 2) < 1 / (1 + np.exp(-z[::2]))).repeat(2)
    frames = [
        dict(video_id=f'v{i // 2}', frame_idx=i % 2, label=int(y),
             logit=float(2 * v), score=float(1 / (1 + np.exp(-2 * v))))
        for i, (v, y) in enumerate(zip(z, labels))
    ]
    videos = []
    for k in range(n // 2):
        pair = frames[2 * k:2 * k + 2]
        mean = (pair[0]['logit'] + pair[1]['logit']) / 2
        videos.append(dict(video_id=f'v{k}', label=pair[0]['label'],
                           logit=mean, score=float(1 / (1 + np.exp(-mean))),
                           num_frames=2))
    path.write_text(json.dumps(dict(metrics={}, video_score='logit_mean',
                                    frames=frames, videos=videos)))
    return str(path)


@pytest.fixture(scope='module')
def fitted(demo_root, random_checkpoint, tmp_path_factory):
    """The tool's outputs on synthetic scores for the random model."""
    work = tmp_path_factory.mktemp('calibrate')
    config = _set_config(work / 'demo_set.py', demo_root)
    out = str(work / 'cal.json')
    scores = _synthetic_scores(work / 'scores.json')
    code = load_tool('tools/analysis_tools/calibrate.py').main([
        config, random_checkpoint, '--split', 'test', '--scores', scores,
        '--target-fpr', '0.05', '0.1', '--default-point', 'fpr@0.05',
        '--out', out, '--embed', str(work / 'with_cal.pth')
    ])
    assert code == 0
    return dict(work=work, config=config, out=out, scores=scores)


def test_the_file_and_the_diagram(fitted, random_checkpoint):
    cal = Calibration.load(fitted['out'])
    data = json.load(open(fitted['out']))
    assert data['fitted_on']['name'] == 'demo_set:test'
    assert (data['fitted_on']['frames'], data['fitted_on']['videos']) == (
        400, 200)
    assert data['fitted_on']['ann_file'].endswith('annotations/test.json')
    assert data['model']['checkpoint'] == random_checkpoint
    assert len(data['model']['weights_sha256']) == 64
    assert data['default_operating_point'] == 'fpr@0.05'
    for level in ('frame', 'video'):
        stats = data['levels'][level]['stats']
        assert stats['nll_after'] < stats['nll_before']
        assert stats['ece_after'] < stats['ece_before']
        assert data['levels'][level]['temperature'] == pytest.approx(
            2.0, rel=0.25)
        assert set(data['levels'][level]['operating_points']) == {
            'eer', 'fpr@0.05', 'fpr@0.1'}
    # the operating point's rates are those of the set
    logits = level_logits(read_scores_json(fitted['scores']))['video']
    point = cal.operating_point('video')
    fake = logits['logits'] >= point['logit']
    assert np.mean(fake[logits['labels'] == 0]) == point['fpr'] <= 0.05
    assert np.mean(fake[logits['labels'] == 1]) == point['tpr']
    png = osp.splitext(fitted['out'])[0] + '_reliability.png'
    assert cv2.imread(png).shape == (500, 1000, 3)
    # --embed: the checkpoint carries it, with the same weights hash
    from laanet.evaluation.calibration import (calibration_for_model,
                                               weights_sha256)
    embedded = str(fitted['work'] / 'with_cal.pth')
    assert weights_sha256(embedded) == data['model']['weights_sha256']
    from mmengine.config import Config
    found = calibration_for_model(None, Config.fromfile(fitted['config']),
                                  embedded)
    assert found.to_dict() == cal.to_dict()


def test_test_py_applies_the_same_calibration(fitted, random_checkpoint,
                                              tmp_path):
    proc = subprocess.run([
        sys.executable, 'tools/test.py', fitted['config'], random_checkpoint,
        '--work-dir', str(tmp_path), '--calibration', fitted['out'],
        '--operating-point', 'fpr@0.1'
    ], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(__import__('os').environ, PYTHONPATH=ROOT))
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'operating point fpr@0.1' in proc.stdout + proc.stderr
    (path, ) = glob.glob(str(tmp_path / '*' / 'calibrated_scores.json'))
    out = json.load(open(path))
    cal = Calibration.load(fitted['out'])
    point = cal.operating_point('frame', 'fpr@0.1')
    assert len(out['frames']) == 8
    for row in out['frames']:
        assert row['calibrated_score'] == pytest.approx(
            float(cal.probability(row['logit'], 'frame')), abs=1e-12)
        assert row['calibrated_label'] == (
            'fake' if row['logit'] >= point['logit'] else 'real')
    assert out['calibration']['operating_point'] == 'fpr@0.1'


def test_bad_sets_and_files_get_clear_errors(fitted, demo_root,
                                             random_checkpoint, tmp_path,
                                             capsys):
    tool = load_tool('tools/analysis_tools/calibrate.py')
    # no validation set in the quickstart config
    assert tool.main([fitted['config'], random_checkpoint, '--scores',
                      fitted['scores']]) == 2
    assert 'has no val_dataloader / val_evaluator; use --split test' in \
        capsys.readouterr().err
    # ~100 real videos cannot resolve 0.5 %
    assert tool.main([
        fitted['config'], random_checkpoint, '--split', 'test', '--scores',
        fitted['scores'], '--out', str(tmp_path / 'x.json'), '--target-fpr',
        '0.005'
    ]) == 2
    assert re.search(r'frame level: \d+ real samples are too few for a '
                     r'target FPR of 0.005: at least 200',
                     capsys.readouterr().err)
    # a calibration of another model
    other = tmp_path / 'other.pth'
    import torch
    ckpt = torch.load(random_checkpoint)
    ckpt['state_dict'] = {k: v + 1 if v.is_floating_point() else v
                          for k, v in ckpt['state_dict'].items()}
    torch.save(ckpt, other)
    proc = subprocess.run([
        sys.executable, 'tools/test.py', fitted['config'], str(other),
        '--work-dir', str(tmp_path / 'other'), '--calibration',
        fitted['out']
    ], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env=dict(__import__('os').environ, PYTHONPATH=ROOT))
    assert proc.returncode != 0
    assert (f'{fitted["out"]}: made for another model: checkpoint weights '
            'hash') in proc.stderr
    # a set with one class
    ann = json.load(open(osp.join(demo_root, 'annotations', 'test.json')))
    ann['data_list'] = [d for d in ann['data_list'] if d['label'] == 0]
    reals = tmp_path / 'reals.json'
    reals.write_text(json.dumps(ann))
    config = _set_config(tmp_path / 'reals_set.py', demo_root, str(reals))
    assert tool.main([
        config, random_checkpoint, '--split', 'test', '--work-dir',
        str(tmp_path / 'run'), '--target-fpr', '0.25'
    ]) == 2
    assert ('frame level: the set holds 4 real and 0 fake samples; a '
            'calibration needs both classes') in capsys.readouterr().err
    assert not osp.exists(tmp_path / 'run' / 'calibration.json')


def test_the_val_split_runs_in_the_test_loop(tmp_path):
    config = tmp_path / 'with_val.py'
    config.write_text(
        f'_base_ = [{CONFIG!r}]\n'
        "val_dataloader = dict(_delete_=True, batch_size=2, dataset=dict("
        "type='DeepfakeDataset', ann_file='annotations/val.json'))\n"
        "val_evaluator = dict(_delete_=True, type='DeepfakeMetric', "
        "threshold=0.3)\n"
        "val_cfg = dict(_delete_=True, type='ValLoop')\n")
    tool = load_tool('tools/analysis_tools/calibrate.py')
    cfg = tool.prepare_config(tool.parse_args([str(config), 'x.pth']))
    assert cfg.test_dataloader.dataset.ann_file == 'annotations/val.json'
    assert cfg.test_evaluator.threshold == 0.3
    assert cfg.test_cfg.type == 'TestLoop'
