# Copyright (c) laanet contributors. All rights reserved.
"""An official-layout LAA-Net checkpoint scores face files through
``tools/test.py`` as the official test script does (issue 19).

The official per-frame logits in ``tests/data/official_e2e/test_path.npz``
come from the official ``scripts/test.py`` eval path (``SBIFaceForensic``
test split, float64 model, flip test) run on the same face files with the
same state dict; see the README there.
"""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.testing.official_parity import (official_layout_checkpoint,
                                            write_face_files)
from laanet.utils.demo_media import t1_image

# slow: an EfficientNet-B4 at 384 px, a BatchNorm calibration forward and a
# tools/test.py subprocess
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'laanet', 'test',
                  'laanet_efn-b4-efpn_test_ffpp-raw-384px.py')
DATA = osp.join(ROOT, 'tests', 'data')
KEY_FILE = osp.join(DATA, 'official-state-dict.txt')


def test_official_checkpoint_gives_official_per_frame_logits(tmp_path):
    if t1_image() is None:
        pytest.skip("insightface's t1.jpg is not installed")
    ref = dict(np.load(osp.join(DATA, 'official_e2e', 'test_path.npz')))
    paths = write_face_files(str(tmp_path / 'faces'))
    state = official_layout_checkpoint(
        Config.fromfile(CONFIG), list(paths.values()), KEY_FILE, seed=0)
    # the weights the official code was run with (a torch whose seeded
    # initialisation draws differently would make other weights)
    got = [float(state[k].abs().sum()) for k in ref['ckpt_fingerprint_keys']]
    np.testing.assert_allclose(
        got, ref['ckpt_fingerprint'], rtol=1e-5,
        err_msg='the seeded checkpoint is not the one of the fixture')
    # the official checkpoint format: DataParallel prefixes, float64
    ckpt = str(tmp_path / 'official.pth')
    torch.save(
        dict(epoch=0, state_dict={'module.' + k: v
                                  for k, v in state.items()},
             optimizer={}), ckpt)
    ann = str(tmp_path / 'ann.json')
    with open(ann, 'w') as f:
        json.dump(
            dict(metainfo=dict(dataset='official-e2e'),
                 data_list=[
                     dict(img_path=path, video_id=name, frame_idx=0,
                          label=i % 2)
                     for i, (name, path) in enumerate(paths.items())
                 ]), f)
    scores = str(tmp_path / 'scores.json')
    env = dict(os.environ)
    env['PYTHONPATH'] = ROOT + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([
        sys.executable, 'tools/test.py', CONFIG, ckpt, '--work-dir',
        str(tmp_path / 'work'), '--out', scores, '--cfg-options',
        'test_dataloader.dataset.data_root=',
        f'test_dataloader.dataset.ann_file={ann}',
        'test_dataloader.num_workers=0',
        'test_dataloader.persistent_workers=False',
        'test_dataloader.batch_size=4'
    ], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    with open(scores) as f:
        frames = json.load(f)['frames']
    logits = {
        osp.splitext(osp.basename(r['img_path']))[0]: r['logit']
        for r in frames
    }
    names = [str(n) for n in ref['names']]
    assert sorted(logits) == sorted(names)
    got = np.array([logits[n] for n in names])
    # the issue-19 bar; measured: 1.3e-6 (float32 here, float64 there)
    np.testing.assert_allclose(got, ref['logits'], rtol=0, atol=1e-4)
    # the faces get different scores: the comparison is not of constants
    assert np.ptp(ref['logits']) > 100 * 1e-4
