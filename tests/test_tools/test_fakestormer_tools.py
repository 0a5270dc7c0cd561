# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer end to end through the tools: a tiny model trained on video
SBI clip pairs of the demo faces with tools/train.py, then tools/test.py on
its checkpoint with the official clip test (video AUC over clips)."""
import glob
import json
import os.path as osp

import cv2
import numpy as np
import pytest
from sklearn import metrics as skm

from laanet.testing import run_tool

# slow: subprocess training and testing
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'tests', 'data', 'fakestormer_tiny_config.py')


@pytest.fixture(scope='module')
def clip_root(demo_tool, tmp_path_factory):
    """Demo faces as videos: 6 crop variants of each training face (one
    4-frame clip per video whatever the epoch's offset), and each held-out
    face's 4 variants as a real and a fake 4-frame video (resized to the
    256 px that extraction writes: the demo's test views are margin crops
    of different sizes)."""
    root = str(tmp_path_factory.mktemp('fst_demo') / 'data')
    demo_tool.main([
        root, '--sources', 'astronaut', 't1', '--train-variants', '6',
        '--variants', '4', '--no-progress'
    ])
    with open(osp.join(root, 'annotations', 'test.json')) as f:
        ann = json.load(f)
    for e in ann['data_list']:
        # demo/<face>_<k>_<tag> -> the video demo/<face>_<tag>, frame k
        face, k, tag = e['video_id'].rsplit('_', 2)
        e.update(video_id=f'{face}_{tag}', frame_idx=int(k))
        path = osp.join(root, e['img_path'])
        cv2.imwrite(path, cv2.resize(cv2.imread(path), (256, 256)))
    with open(osp.join(root, 'annotations', 'test_clips.json'), 'w') as f:
        json.dump(ann, f)
    return root


@pytest.fixture(scope='module')
def trained(clip_root, tmp_path_factory):
    work_dir = str(tmp_path_factory.mktemp('fst_work'))
    run_tool([
        'tools/train.py', CONFIG, '--work-dir', work_dir, '--cfg-options',
        f'train_dataloader.dataset.data_root={clip_root}',
        f'test_dataloader.dataset.data_root={clip_root}'
    ])
    return work_dir


def test_tiny_fakestormer_trains_on_video_sbi_clips(trained):
    files = glob.glob(osp.join(trained, '*', 'vis_data', 'scalars.json'))
    with open(files[0]) as f:
        records = [json.loads(line) for line in f if line.strip()]
    losses = [r for r in records if 'loss' in r]
    # 5 training videos -> 5 clip pairs per epoch, 2 per step: 3 steps x 2
    assert len(losses) == 6
    for key in ('loss', 'loss_cls', 'loss_temporal', 'loss_heatmap'):
        assert all(np.isfinite(r[key]) for r in losses), key
    assert osp.isfile(osp.join(trained, 'epoch_2.pth'))


def test_tiny_fakestormer_trains_with_amp(clip_root, tmp_path):
    """tools/train.py --amp: SAM steps under bfloat16 autocast on a CPU,
    finite losses, the AMP wrapper in the run's config."""
    work_dir = str(tmp_path / 'amp')
    run_tool([
        'tools/train.py', CONFIG, '--amp', '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={clip_root}',
        f'test_dataloader.dataset.data_root={clip_root}',
        'train_cfg.max_epochs=1'
    ])
    (scalars, ) = glob.glob(osp.join(work_dir, '*', 'vis_data',
                                     'scalars.json'))
    with open(scalars) as f:
        losses = [r for r in map(json.loads, filter(str.strip, f))
                  if 'loss' in r]
    assert len(losses) == 3
    for key in ('loss', 'loss_cls', 'loss_temporal', 'loss_heatmap'):
        assert all(np.isfinite(r[key]) for r in losses), key
    (dumped, ) = glob.glob(osp.join(work_dir, '*', 'vis_data', 'config.py'))
    with open(dumped) as f:
        text = f.read()
    assert 'DeviceAmpOptimWrapper' in text and "dtype='bfloat16'" in text


def test_tools_test_scores_videos_from_clips(trained, clip_root, tmp_path):
    scores = str(tmp_path / 'scores.json')
    run_tool([
        'tools/test.py', CONFIG,
        osp.join(trained, 'epoch_2.pth'), '--work-dir',
        str(tmp_path / 'test'), '--cfg-options',
        f'test_dataloader.dataset.data_root={clip_root}',
        f'test_evaluator.scores_file={scores}'
    ])
    with open(scores) as f:
        dump = json.load(f)
    assert dump['video_score'] == 'logit_mean'
    # 2 held-out faces x (real, fake), 4 frames each: one clip per video
    clips, videos = dump['frames'], dump['videos']
    assert len(clips) == 4 and len(videos) == 4
    assert all(len(c['img_path']) == 4 for c in clips)
    assert sorted(v['label'] for v in videos) == [0, 0, 1, 1]
    # the official video score: sigmoid of the mean clip logit
    for v in videos:
        logits = [c['logit'] for c in clips if c['video_id'] == v['video_id']]
        assert v['score'] == pytest.approx(1 / (1 + np.exp(-np.mean(logits))))
    want = skm.roc_auc_score([v['label'] for v in videos],
                             [v['score'] for v in videos]) * 100
    assert dump['metrics']['video_auc'] == pytest.approx(want)
    # --amp: the same clips and videos, logits within bfloat16 rounding
    amp_scores = str(tmp_path / 'amp_scores.json')
    run_tool([
        'tools/test.py', CONFIG,
        osp.join(trained, 'epoch_2.pth'), '--amp', '--work-dir',
        str(tmp_path / 'test_amp'), '--cfg-options',
        f'test_dataloader.dataset.data_root={clip_root}',
        f'test_evaluator.scores_file={amp_scores}'
    ])
    with open(amp_scores) as f:
        amp = json.load(f)
    assert [c['img_path'] for c in amp['frames']] == [
        c['img_path'] for c in clips]
    want = np.array([c['logit'] for c in clips])
    got = np.array([c['logit'] for c in amp['frames']])
    assert not np.array_equal(got, want)  # bfloat16 ran
    np.testing.assert_allclose(got, want, atol=0.05 * np.abs(want).max())
