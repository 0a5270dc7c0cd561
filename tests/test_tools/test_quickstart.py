# Copyright (c) laanet contributors. All rights reserved.
"""The quickstart's building blocks: the demo dataset builder and the
quickstart config on its data (the full training is not run here)."""
import hashlib
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

# slow: builds the dlib demo dataset and trains
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(REPO, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py')


def _ann(root, split):
    with open(osp.join(root, 'annotations', f'{split}.json')) as f:
        return json.load(f)


def test_demo_dataset_contents(demo_root):
    train, test = _ann(demo_root, 'train'), _ann(demo_root, 'test')
    for ann in (train, test):
        meta = ann['metainfo']
        assert meta['crop_margin'] == 1.25 and meta['crop_size'] == 256
        assert meta['landmark_model'] == 'dlib68'
    # astronaut + t1 faces 0, 2, 3, 5, two crop variants each
    assert len(train['data_list']) == 5 * 2
    assert {d['label'] for d in train['data_list']} == {0}
    train_ids = {d['video_id'] for d in train['data_list']}
    assert train_ids == {
        'demo/astronaut', 'demo/t1_face0', 'demo/t1_face2', 'demo/t1_face3',
        'demo/t1_face5'
    }
    # held-out identities only in the test set, half real, half SBI
    labels = [d['label'] for d in test['data_list']]
    assert len(labels) == 2 * 2 * 2 and sum(labels) == len(labels) // 2
    test_ids = {d['video_id'].rsplit('_', 2)[0] for d in test['data_list']}
    assert test_ids == {'demo/t1_face1', 'demo/t1_face4'}
    assert not test_ids & train_ids
    import cv2
    for d in train['data_list'] + test['data_list']:
        img = cv2.imread(osp.join(demo_root, d['img_path']))
        assert img is not None and img.shape[2] == 3
        lms = np.asarray(d['landmarks'])
        assert lms.shape == (68, 2)
        # a chin may leave the crop; the face is inside it
        side = max(img.shape[:2])
        assert (lms > -0.25 * side).all() and (lms < 1.25 * side).all()
        assert ((lms > 0) & (lms < side)).mean() > 0.8
    for d in train['data_list']:
        assert cv2.imread(osp.join(demo_root,
                                   d['img_path'])).shape == (256, 256, 3)
    # a fake differs from its real only inside the blend (same crop)
    real = cv2.imread(osp.join(demo_root, 'faces/test/t1_face1_00_real.png'))
    fake = cv2.imread(osp.join(demo_root, 'faces/test/t1_face1_00_fake.png'))
    assert real.shape == fake.shape
    diff = np.abs(real.astype(int) - fake.astype(int)).max(axis=2) > 0
    assert 0.02 < diff.mean() < 0.9


def _digest(root):
    h = hashlib.sha256()
    for d in _ann(root, 'test')['data_list']:
        with open(osp.join(root, d['img_path']), 'rb') as f:
            h.update(f.read())
    return h.hexdigest()


def test_demo_dataset_reused_and_deterministic(demo_root, demo_tool,
                                               demo_args, tmp_path, capsys):
    tool, ARGS = demo_tool, demo_args
    ann = osp.join(demo_root, 'annotations', 'test.json')
    mtime = os.stat(ann).st_mtime_ns
    tool.main([demo_root] + ARGS)
    assert 'reusing' in capsys.readouterr().out
    assert os.stat(ann).st_mtime_ns == mtime
    # same seed elsewhere: the same test images, byte for byte
    other = str(tmp_path / 'again')
    tool.main([other] + ARGS)
    assert _digest(other) == _digest(demo_root)
    # a missing file makes the dataset incomplete: it is rebuilt
    first = _ann(other, 'train')['data_list'][0]['img_path']
    os.remove(osp.join(other, first))
    tool.main([other] + ARGS)
    assert 'reusing' not in capsys.readouterr().out
    assert osp.isfile(osp.join(other, first))


def test_quickstart_config_on_demo_data(demo_root):
    from laanet.registry import DATASETS, MODELS
    from laanet.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(CONFIG)
    assert cfg.model.backbone.arch == 'b0'
    assert cfg.model.backbone.init_cfg is None and cfg.load_from is None
    assert cfg.heatmap_cfg['input_size'] == (128, 128)
    assert cfg.heatmap_cfg['heatmap_size'] == (32, 32)
    train_cfg = cfg.train_dataloader.dataset
    train_cfg.data_root = demo_root + '/'
    np.random.seed(0)
    item = DATASETS.build(train_cfg)[0]
    assert item['inputs'].shape == (2, 3, 128, 128)
    real, fake = item['data_samples']
    assert int(real.gt_label) == 0 and int(fake.gt_label) == 1
    assert tuple(fake.gt_fields.heatmap.shape) == (1, 32, 32)
    assert float(fake.gt_fields.heatmap.max()) == 1.0
    test_cfg = cfg.test_dataloader.dataset
    test_cfg.data_root = demo_root + '/'
    test_set = DATASETS.build(test_cfg)
    assert len(test_set) == 8
    assert test_set[0]['inputs'].shape == (3, 128, 128)
    # the model of the config trains on such a batch
    from laanet.datasets import pair_collate
    batch = pair_collate([item])
    model = MODELS.build(cfg.model)
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert set(losses) >= {'loss_heatmap', 'loss_cls', 'loss_consistency'}
    assert all(torch.isfinite(v) for v in losses.values())
