# Copyright (c) laanet contributors. All rights reserved.
"""Every runnable config under configs/laanet/ loads, builds its model and
pipelines, and runs loss and predict on CPU (at 64 px, not 384)."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from laanet.registry import MODELS
from laanet.testing import get_packed_inputs

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RECIPES = ['configs/laanet/efn4_sbi.py', 'configs/laanet/efn4_bi.py']
# laanet's own test sets (the DeepfakeBench ones, *_dfb-*, are checked by
# test_deepfakebench_configs.py)
TEST_CFGS = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs/laanet/test/*.py'))
    if '_dfb-' not in p)


def _load(path):
    return Config.fromfile(osp.join(REPO, path))


def _model_without_weights(path):
    model = _load(path).model.to_dict()
    model['backbone'].pop('init_cfg', None)
    model['heatmap_head']['loss'].pop('loss_weight')
    return model


def test_recipes_and_test_configs_share_one_model():
    """So building one of them (below) is enough."""
    sbi = _model_without_weights(RECIPES[0])
    for path in RECIPES[1:] + TEST_CFGS:
        assert _model_without_weights(path) == sbi, path


def test_model_builds_and_runs(path=RECIPES[0]):
    init_default_scope('laanet')
    cfg = _load(path)
    assert cfg.default_scope == 'laanet'
    assert cfg.model.backbone.arch == 'b4'
    assert cfg.model.backbone.static_padding_size == 380
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    data = get_packed_inputs(batch_size=2, img_size=64, heatmap_size=16)
    model.train()
    losses = model(**model.data_preprocessor(data, True), mode='loss')
    assert {'loss_heatmap', 'loss_consistency', 'loss_cls'} <= set(losses)
    assert all(torch.isfinite(v) for k, v in losses.items() if 'loss' in k)
    model.eval()
    with torch.no_grad():
        preds = model.test_step(data)
    assert len(preds) == 2
    assert all(0 <= p.pred_score.item() <= 1 for p in preds)


@pytest.mark.parametrize('path', RECIPES)
def test_recipe_settings(path):
    cfg = _load(path)
    # the AdvProp ImageNet weights come from a local file
    init_cfg = cfg.model.backbone.init_cfg
    assert init_cfg.type == 'Pretrained'
    assert init_cfg.checkpoint.endswith('adv-efficientnet-b4-44fb3a87.pth')
    # the schedule is sam-adam_100e.py's, unchanged (test_schedules.py
    # checks its settings)
    schedule = _load('configs/_base_/schedules/sam-adam_100e.py')
    for key in ('optim_wrapper', 'param_scheduler', 'train_cfg',
                'custom_hooks', 'model_wrapper_cfg'):
        assert cfg[key] == schedule[key], key
    # loss weights of the official configs
    assert cfg.model.consistency_head.loss.loss_weight == 100
    assert cfg.model.cls_head.loss.loss_weight == 1
    hm_weight = cfg.model.heatmap_head.loss.loss_weight
    assert hm_weight == (100 if 'sbi' in path else 10)
    # validation and the in-dataset FF++ test
    assert cfg.val_evaluator.type == 'DeepfakeMetric'
    assert cfg.test_evaluator.type == 'DeepfakeMetric'
    assert cfg.test_dataloader.dataset.data_root == 'data/ffpp/c0/'
    assert cfg.train_dataloader.dataset.require_landmarks is True


def test_sbi_trains_on_pairs_and_bi_on_single_images():
    sbi, bi = _load(RECIPES[0]), _load(RECIPES[1])
    assert sbi.train_dataloader.batch_size == 8  # 8 pairs = 16 images
    assert sbi.train_dataloader.collate_fn.type.endswith('pair_collate')
    assert sbi.train_dataloader.sampler.frames_per_video == 8
    assert sbi.train_pipeline[-1] == dict(type='PackDeepfakeInputs',
                                          pair=True)
    assert bi.train_pipeline[-1]['pair'] is False
    assert bi.train_dataloader.sampler.frames_per_video == 32
    init_default_scope('laanet')
    for cfg in (sbi, bi):
        for pipeline in (cfg.train_pipeline, cfg.val_pipeline,
                         cfg.test_pipeline):
            assert len(Compose(pipeline).transforms) == len(pipeline)


def test_short_names_inherit_the_full_names():
    for short, full in [
        ('efn4_sbi.py', 'laanet_efn-b4-efpn_1xb8-sbi-sam-100e_ffpp-raw-'
         '384px.py'),
        ('efn4_bi.py', 'laanet_efn-b4-efpn_1xb8-bi-sam-100e_ffpp-raw-'
         '384px.py'),
    ]:
        a = _load(f'configs/laanet/{short}').to_dict()
        b = _load(f'configs/laanet/{full}').to_dict()
        assert a == b


@pytest.mark.parametrize('path', TEST_CFGS)
def test_test_configs_point_at_their_test_set(path):
    cfg = _load(path)
    prefix, suffix = 'laanet_efn-b4-efpn_test_', '-384px.py'
    name = osp.basename(path)[len(prefix):-len(suffix)]
    dataset = cfg.test_dataloader.dataset
    assert dataset.test_mode is True
    roots = {'ffpp-raw': 'data/ffpp/c0/', 'ffpp-c23': 'data/ffpp/c23/'}
    assert dataset.data_root == roots.get(name, f'data/{name}/')
    assert cfg.test_evaluator.type == 'DeepfakeMetric'
    assert cfg.model.test_cfg.flip_test is True
    assert 'train_dataloader' not in cfg  # test-only configs


def test_every_test_set_has_a_test_config():
    names = {osp.basename(p)[len('laanet_efn-b4-efpn_test_'):-len('-384px.py')]
             for p in TEST_CFGS}
    assert names == {
        'ffpp-raw', 'ffpp-c23', 'celebdf-v1', 'celebdf-v2', 'dfd', 'dfdc',
        'dfdcp', 'dfw'
    }


def test_each_recipe_tests_as_its_official_loader():
    """The SBI recipe cuts 5 px off the 256-px crop (246 → 384); the BI
    recipe resizes to 317, cuts to [18:299] (281 → 384), as the official
    BI loader's test split does. Both warps are corner-aligned."""
    import cv2
    import numpy as np
    init_default_scope('laanet')
    img = np.random.default_rng(0).integers(0, 256, (256, 256, 3), np.uint8)
    img = cv2.GaussianBlur(img, (0, 0), 3)  # smooth: bilinear is exact
    for path, prep, side in (
            (RECIPES[0], lambda x: x[5:251, 5:251], 246),
            (RECIPES[1], lambda x: cv2.resize(x, (317, 317))[18:299, 18:299],
             281)):
        pipeline = Compose(_load(path).test_dataloader.dataset.pipeline[1:-1])
        got = pipeline(dict(img=img.copy()))['img']
        k = 383 / (side - 1)
        mat = np.float64([[k, 0, 0], [0, k, 0]])
        expected = cv2.warpAffine(prep(img), mat, (384, 384),
                                  flags=cv2.INTER_LINEAR)
        assert got.shape == (384, 384, 3)
        assert np.abs(got.astype(int) - expected).max() <= 1, path
