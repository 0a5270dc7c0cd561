# Copyright (c) laanet contributors. All rights reserved.
import glob
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from laanet.registry import DATASETS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# laanet's own test sets; the DeepfakeBench ones (dfb-*) have their own
# tests (test_deepfakebench_configs.py)
SET_CFGS = sorted(
    p for p in glob.glob(osp.join(REPO, 'configs/_base_/datasets/*_test.py'))
    if osp.basename(p) not in ('deepfake_test.py', 'dfb_test.py')
    and not osp.basename(p).startswith('dfb-'))


def _set_name(path):
    return osp.basename(path)[:-len('_test.py')]


def test_test_sets_are_size_free_and_tested_by_every_method():
    """A test set base holds the data, not a method's pipeline, and each
    method has a test config per set."""
    assert len(SET_CFGS) == 8
    for path in SET_CFGS:
        cfg = Config.fromfile(path)
        assert 'test_pipeline' not in cfg and 'test_evaluator' not in cfg
        assert 'pipeline' not in cfg.test_dataloader.dataset
        assert cfg.test_dataloader.dataset.data_root == cfg.test_data_root
        for method, size in (('laanet', '384px'), ('sbi', '380px'),
                             ('fakestormer', '224px')):
            (leaf, ) = glob.glob(
                osp.join(REPO, 'configs', method, 'test',
                         f'*_test_{_set_name(path)}-{size}.py'))
            leaf_cfg = Config.fromfile(leaf)
            assert leaf_cfg.test_dataloader.dataset.data_root == \
                cfg.test_data_root


@pytest.mark.parametrize('path', SET_CFGS, ids=_set_name)
def test_test_config_builds(path, tmp_path):
    (leaf, ) = glob.glob(
        osp.join(REPO, 'configs', 'laanet', 'test',
                 f'*_test_{_set_name(path)}-384px.py'))
    cfg = Config.fromfile(leaf)
    ds_cfg = cfg.test_dataloader.dataset
    assert ds_cfg.type == 'DeepfakeDataset' and ds_cfg.test_mode
    assert [t['type'] for t in ds_cfg.pipeline] == [
        'LoadImageFromFile', 'CenterCropLetterbox', 'PackDeepfakeInputs'
    ]
    assert ds_cfg.pipeline[-1]['pair'] is False
    assert cfg.test_dataloader.sampler.shuffle is False
    # Build it on a one-frame annotation, up to the letterbox (the
    # packer has its own tests).
    os.makedirs(tmp_path / 'f', exist_ok=True)
    cv2.imwrite(str(tmp_path / 'f' / '0.png'), np.full((256, 256, 3), 9,
                                                       np.uint8))
    ann = tmp_path / 'a.json'
    ann.write_text(json.dumps(dict(metainfo={}, data_list=[dict(
        img_path='f/0.png', video_id='v', frame_idx=0, label=1,
        landmarks=None)])))
    ds_cfg.update(ann_file=str(ann), data_root=str(tmp_path),
                  pipeline=ds_cfg.pipeline[:2])
    init_default_scope('laanet')
    ds = DATASETS.build(ds_cfg)
    out = ds[0]
    assert out['img'].shape == (384, 384, 3)
    assert out['gt_label'] == 1


def test_every_test_only_config_has_a_complete_test_loop():
    """MMEngine's Runner needs test_dataloader, test_cfg and
    test_evaluator together; a test-only config inherits no schedule."""
    paths = sorted(
        glob.glob(osp.join(REPO, 'configs', '*', 'test', '*.py')))
    # 8 sets x (LAA-Net, SBI, FakeSTormer) + 10 DeepfakeBench sets x
    # (LAA-Net, SBI)
    assert len(paths) == 44
    for path in paths:
        cfg = Config.fromfile(path)
        for key in ('test_dataloader', 'test_cfg', 'test_evaluator'):
            assert cfg.get(key) is not None, (path, key)


def test_a_test_only_config_builds_its_runner(tmp_path):
    from laanet.engine import build_runner
    from laanet.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'sbi', 'test',
                 'sbi_efn-b4_test_celebdf-v2-380px.py'))
    cfg.work_dir = str(tmp_path)
    runner = build_runner(cfg)
    assert type(runner.model).__name__ == 'DeepfakeClassifier'
