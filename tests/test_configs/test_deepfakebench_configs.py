# Copyright (c) laanet contributors. All rights reserved.
"""The DeepfakeBench configs: every test set has a LAA-Net and an SBI test
config, each matches the user guide's table, and the train and test
configs build and run their pipelines on a toy DeepfakeBench tree."""
import glob
import os.path as osp
import re

import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from laanet.datasets import pair_collate
from laanet.registry import DATASETS
from laanet.testing import load_tool, make_deepfakebench_tree

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DFB_SETS = sorted(
    osp.basename(p)[len('dfb-'):-len('_test.py')]
    for p in glob.glob(
        osp.join(REPO, 'configs/_base_/datasets/dfb-*_test.py')))
GUIDE = osp.join(REPO, 'docs/en/user_guides/deepfakebench_data.md')


def _leaf(method, name):
    size = '384px' if method == 'laanet' else '380px'
    (path, ) = glob.glob(
        osp.join(REPO, 'configs', method, 'test', f'*_test_dfb-{name}-'
                 f'{size}.py'))
    return Config.fromfile(path)


def _parts(cfg):
    ds = cfg.test_dataloader.dataset
    return ds.datasets if ds.type == 'ConcatDataset' else [ds]


def test_every_deepfakebench_set_has_both_methods():
    assert DFB_SETS == sorted([
        'ffpp-c23', 'ffpp-raw', 'celebdf-v1', 'celebdf-v2', 'dfd', 'dfdc',
        'dfdcp', 'deeperforensics', 'uadfv', 'df40'
    ])
    for name in DFB_SETS:
        base = Config.fromfile(
            osp.join(REPO, f'configs/_base_/datasets/dfb-{name}_test.py'))
        assert 'test_pipeline' not in base and 'test_evaluator' not in base
        for method, first_step in (('laanet', 'CenterCropLetterbox'),
                                   ('sbi', 'FaceBoxCrop')):
            cfg = _leaf(method, name)
            for part in _parts(cfg):
                assert part.type == 'DeepfakeBenchDataset'
                assert part.split == 'test' and part.test_mode
                assert part.frame_selection == 'deepfakebench'
                assert part.frames_per_video == 32
                assert part.pipeline[1]['type'] == first_step
            assert cfg.test_evaluator.type == 'DeepfakeMetric'
            assert 'train_dataloader' not in cfg


def test_the_guide_table_matches_the_configs():
    """Each row: set, LAA-Net config, SBI config, JSON, data set name."""
    with open(GUIDE, encoding='utf-8') as f:
        text = f.read()
    rows = re.findall(
        r'^\| `dfb-([\w-]+)` \| `(configs/laanet/test/[^`]+)` \| '
        r'`(configs/sbi/test/[^`]+)` \| `([^`]+\.json)` \| `([^`]+)` \|',
        text, re.M)
    assert sorted(r[0] for r in rows) == DFB_SETS
    for name, laanet, sbi, json_name, dataset in rows:
        assert osp.isfile(osp.join(REPO, laanet))
        assert osp.isfile(osp.join(REPO, sbi))
        part = _parts(_leaf('laanet', name))[0]
        assert osp.basename(part.json_file) == json_name
        assert part.dataset_name == dataset


@pytest.fixture(scope='module')
def tree(tmp_path_factory):
    return make_deepfakebench_tree(
        str(tmp_path_factory.mktemp('dfb_cfg')),
        splits=('train', 'val', 'test'),
        num_videos=2,
        num_frames=2)


def _point_at(ds_cfg, tree):
    ds_cfg.update(
        json_file=tree['json_file'],
        data_root=tree['rgb_dir'],
        serialize_data=False)
    return ds_cfg


@pytest.mark.parametrize('method', ['laanet', 'sbi'])
def test_test_configs_run_on_a_deepfakebench_tree(method, tree):
    init_default_scope('laanet')
    cfg = _leaf(method, 'ffpp-c23')
    ds = DATASETS.build(_point_at(cfg.test_dataloader.dataset, tree))
    out = ds[0]
    size = 384 if method == 'laanet' else 380
    assert tuple(out['inputs'].shape) == (3, size, size)
    sample = out['data_samples']
    assert sample.dfb_frame_path == ds.get_data_info(0)['dfb_frame_path']
    assert sample.method == 'FF-real' and sample.dfb_video_id == '004'
    # DF40: a method's fakes with the FF++ reals, concatenated
    cfg = _leaf(method, 'df40')
    fakes, reals = cfg.test_dataloader.dataset.datasets
    _point_at(fakes, tree).update(
        dataset_name='FaceForensics++', label_keys=['FF-DF'])
    _point_at(reals, tree)
    ds = DATASETS.build(cfg.test_dataloader.dataset)
    methods = [
        ds[i]['data_samples'].method for i in range(0, len(ds), 2)
    ]
    assert methods == ['FF-DF'] * 2 + ['FF-real'] * 2


def test_best_match_tool_and_train_configs(tree, tmp_path):
    tool = load_tool('tools/dataset_converters/deepfakebench_best_match.py')
    outs = tool.main([
        tree['json_file'], '--data-root', tree['rgb_dir'], '--k', '3',
        '--out-dir', str(tmp_path)
    ])
    assert sorted(outs) == ['train', 'val']
    assert osp.basename(outs['train']) == \
        'FaceForensics++_c23_train_best_match.json'
    init_default_scope('laanet')
    for path in sorted(
            glob.glob(osp.join(REPO, 'configs/*/*_dfb-ffpp-*px.py'))):
        cfg = Config.fromfile(path)
        for loader, split in (('train_dataloader', 'train'),
                              ('val_dataloader', 'val')):
            ds_cfg = _point_at(cfg[loader].dataset, tree)
            assert ds_cfg.split == split
            assert ds_cfg.label_keys == ['FF-real']
            assert ds_cfg.with_landmarks and ds_cfg.require_landmarks
            assert ds_cfg.compression == ('raw' if '-raw-' in path else
                                          'c23')
            ds_cfg.compression = 'c23'  # the toy tree's level
            if ds_cfg.get('best_match_file'):
                ds_cfg.best_match_file = outs[split]
            ds = DATASETS.build(ds_cfg)
            assert {ds.get_data_info(i)['gt_label']
                    for i in range(len(ds))} == {0}
            np.random.seed(1)
            batch = pair_collate([ds[0], ds[1]]) if cfg[
                loader].collate_fn.get('type', '').endswith(
                    'pair_collate') else [ds[0]]
            assert len(batch) > 0, path
        if '_bi-' in path:
            info = ds.get_data_info(0)
            assert len(info['best_match']) == 3
            assert info['landmarks'].shape == (68, 2)
