# Copyright (c) laanet contributors. All rights reserved.
"""tools/train.py and tools/test.py on a DeepfakeBench-format demo tree:
training reads the originals from DeepfakeBench's LMDB, testing reads the
test split (Windows paths in the JSON) from the folders."""
import json
import os.path as osp

import pytest

from laanet.testing import make_deepfakebench_tree, run_tool

# slow: subprocess train and test runs
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'tests', 'data', 'dfb_demo_config.py')


def test_train_and_test_on_a_deepfakebench_tree(tmp_path):
    tree = make_deepfakebench_tree(
        str(tmp_path / 'dfb'), num_videos=2, num_frames=3, lmdb=True)
    paths = [
        f'{loader}.dataset.{key}={tree[value]}'
        for loader in ('train_dataloader', 'test_dataloader')
        for key, value in (('json_file', 'json_file'), ('data_root',
                                                        'rgb_dir'))
    ]
    work = tmp_path / 'work'
    run_tool([
        'tools/train.py', CONFIG, '--work-dir',
        str(work), '--cfg-options',
        f'train_dataloader.dataset.lmdb_dir={tree["lmdb_dir"]}'
    ] + paths)
    ckpt = work / 'epoch_1.pth'
    assert ckpt.is_file()
    # 2 train videos x 2 frames (VideoFrameSampler) = 4 pairs = one step
    log = (work / 'last_checkpoint').read_text()
    assert log.strip().endswith('epoch_1.pth')
    scores = tmp_path / 'scores.json'
    run_tool([
        'tools/test.py', CONFIG,
        str(ckpt), '--work-dir',
        str(tmp_path / 'test'), '--out',
        str(scores), '--cfg-options'
    ] + [p for p in paths if p.startswith('test_')])
    with open(scores) as f:
        out = json.load(f)
    # the test split: 3 label keys x 2 videos x 3 frames, every one scored
    expected = {
        osp.join(tree['rgb_dir'], p.replace('\\', '/')): key
        for (split, key, _), frames in tree['videos'].items()
        if split == 'test' for p in frames
    }
    frames = out['frames']
    assert len(frames) == len(expected) == 18
    assert {f['img_path'] for f in frames} == set(expected)
    for f in frames:
        assert f['label'] == (0 if expected[f['img_path']] == 'FF-real' else
                              1)
        assert f['video_id'].startswith(
            f'FaceForensics++/{expected[f["img_path"]]}/')
    # the full video ids keep FF-DF/004_005 and FF-F2F/004_005 apart
    assert len(out['videos']) == 6
    assert 0 <= out['metrics']['video_auc'] <= 100
