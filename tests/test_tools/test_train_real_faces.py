# Copyright (c) laanet contributors. All rights reserved.
"""A short LAA-Net training run on real faces through tools/train.py: SBI
pairs of the demo faces, EfficientNet-B0 at 128 px, SAM over Adam, a few
dozen iterations on the CPU, validation on held-out identities."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest

# slow: subprocess training on real faces
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'tests', 'data', 'real_faces_sbi_config.py')


def _scalars(work_dir):
    files = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    assert len(files) == 1, files
    with open(files[0]) as f:
        return [json.loads(line) for line in f if line.strip()]


def test_short_sbi_training_on_real_faces(demo_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, OMP_NUM_THREADS='2')
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([
        sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.data_root={demo_root}',
        f'val_dataloader.dataset.data_root={demo_root}',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.num_workers=0',
        'val_dataloader.persistent_workers=False'
    ],
                          cwd=REPO,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = _scalars(work_dir)
    losses = [r['loss'] for r in records if 'loss' in r]
    # 10 faces -> 10 pairs / 4 per step = 3 steps per epoch, 6 epochs
    assert len(losses) == 18
    assert all(np.isfinite(losses))
    assert np.mean(losses[-4:]) < np.mean(losses[:4])
    # every head is trained
    for key in ('loss_heatmap', 'loss_consistency', 'loss_cls'):
        assert key in records[0]
    # validation on the held-out faces logs the deepfake metrics
    val = [r for r in records if 'deepfake/video_auc' in r]
    assert len(val) == 3  # epochs 2, 4, 6
    for key in ('deepfake/auc', 'deepfake/ap', 'deepfake/eer',
                'deepfake/video_auc', 'deepfake/auc_SBI'):
        assert 0 <= val[-1][key] <= 100
    # the last and the best checkpoints are written
    assert osp.isfile(osp.join(work_dir, 'epoch_6.pth'))
    assert glob.glob(
        osp.join(work_dir, 'best_deepfake_video_auc_epoch_*.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        assert f.read().strip().endswith('epoch_6.pth')
