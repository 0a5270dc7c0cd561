# Copyright (c) laanet contributors. All rights reserved.
"""The SBI recipe under configs/sbi/: its model, its training and test
pipelines on a real face, and the 8 test configs."""
import glob
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope

from laanet.datasets import pair_collate
from laanet.datasets.transforms.functional.pipeline_utils import strip_loading
from laanet.registry import MODELS
from laanet.utils.demo_media import astronaut_face_crop

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RECIPE = 'configs/sbi/sbi_efn4.py'
# laanet's own test sets (the DeepfakeBench ones, *_dfb-*, are checked by
# test_deepfakebench_configs.py)
TEST_CFGS = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs/sbi/test/*.py'))
    if '_dfb-' not in p)


def _load(path):
    return Config.fromfile(osp.join(REPO, path))


def _model(path):
    model = _load(path).model.to_dict()
    model['backbone'].pop('init_cfg', None)
    return model


def test_recipe_and_test_configs_share_one_model_and_protocol():
    recipe = _load(RECIPE)
    assert recipe.model.type == 'DeepfakeClassifier'
    assert recipe.model.backbone.init_cfg.type == 'Pretrained'
    assert recipe.train_cfg.max_epochs == 100
    assert recipe.train_dataloader.batch_size == 16  # pairs: 32 images
    assert recipe.train_dataloader.sampler.frame_pick == 'even'
    assert recipe.train_dataloader.sampler.frames_per_video == 8
    assert len(TEST_CFGS) == 8
    laanet_sets = {
        osp.basename(p).split('_test_')[1].replace('-384px.py', '')
        for p in glob.glob(osp.join(REPO, 'configs/laanet/test/*.py'))
        if '_dfb-' not in p
    }
    sbi_sets = {
        osp.basename(p).split('_test_')[1].replace('-380px.py', '')
        for p in TEST_CFGS
    }
    assert sbi_sets == laanet_sets
    for path in TEST_CFGS + [RECIPE]:
        cfg = _load(path)
        assert _model(path) == _model(RECIPE), path
        steps = cfg.test_dataloader.dataset.pipeline
        assert [s['type'] for s in steps] == [
            'LoadImageFromFile', 'FaceBoxCrop', 'PackDeepfakeInputs'
        ], path
        assert steps[1]['side_margin'] == 0.125
        assert tuple(steps[1]['size']) == (380, 380)
        assert cfg.test_evaluator.video_score == 'prob_mean'
        assert cfg.face_crop_cfg == dict(size=380)
    # the data roots are LAA-Net's for the same set
    sbi = _load('configs/sbi/test/sbi_efn-b4_test_celebdf-v2-380px.py')
    laa = _load(
        'configs/laanet/test/laanet_efn-b4-efpn_test_celebdf-v2-384px.py')
    assert sbi.test_dataloader.dataset.data_root == \
        laa.test_dataloader.dataset.data_root
    assert sbi.test_dataloader.dataset.ann_file == \
        laa.test_dataloader.dataset.ann_file


def _face_results():
    img, lms = astronaut_face_crop()
    return dict(img=img, img_path='astronaut.png', img_shape=img.shape[:2],
                ori_shape=img.shape[:2], landmarks=lms.astype(np.float32),
                video_id='demo/astronaut', frame_idx=0, gt_label=0,
                manipulation='original')


@pytest.mark.parametrize('split', ['train', 'val'])
def test_sbi_pipeline_on_a_real_face(split):
    """Pair layout, labels, 380 x 380 crops, inputs in [0, 1]."""
    init_default_scope('laanet')
    cfg = _load(RECIPE)
    loader = cfg.train_dataloader if split == 'train' else cfg.val_dataloader
    steps = strip_loading(loader.dataset.pipeline)
    assert steps[0]['type'] == 'SelfBlend'  # landmarks given inline
    pipeline = Compose(steps)
    np.random.seed(0)
    items = [pipeline(_face_results()) for _ in range(6)]
    for item in items:
        assert item['inputs'].shape == (2, 3, 380, 380)
        assert item['inputs'].dtype == torch.uint8
        real, fake = item['data_samples']
        assert int(real.gt_label) == 0 and int(fake.gt_label) == 1
        assert fake.video_id == 'SBI/demo/astronaut'
        # the fake differs from its real inside the face only
        diff = (item['inputs'][1].float() - item['inputs'][0].float()).abs()
        assert diff.mean() > 0.5
    batch = pair_collate(items)
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    data = model.data_preprocessor(batch, True)
    x = data['inputs']
    assert x.shape == (12, 3, 380, 380)
    assert 0. <= float(x.min()) and float(x.max()) <= 1.
    assert float(x.max()) > 0.5  # /255, not /65025
    assert sorted(int(s.gt_label) for s in data['data_samples']) == \
        [0] * 6 + [1] * 6
    flips = [bool(item['data_samples'][0].flip) for item in items]
    if split == 'val':  # SBI validates without flips
        assert not any(flips)
    else:  # half of the training pairs are flipped
        assert any(flips) and not all(flips)


def test_binary_baseline_trains_on_single_real_or_fake_frames():
    init_default_scope('laanet')
    cfg = _load('configs/sbi/efn-b4_1xb32-sam-sgd-100e_ffpp-raw-380px-'
                'binary.py')
    assert _model(
        'configs/sbi/efn-b4_1xb32-sam-sgd-100e_ffpp-raw-380px-binary.py'
    ) == _model(RECIPE)
    loader = cfg.train_dataloader
    assert loader.batch_size == 32
    assert loader.collate_fn.type == 'pseudo_collate'
    assert loader.dataset.ann_file == 'annotations/train.json'
    pipeline = Compose(strip_loading(loader.dataset.pipeline))
    results = _face_results()
    results['gt_label'] = 1
    item = pipeline(results)
    assert item['inputs'].shape == (3, 380, 380)
    assert int(item['data_samples'].gt_label) == 1


def test_xception_baseline_builds_through_timm_and_trains():
    init_default_scope('laanet')
    cfg = _load('configs/sbi/xception_1xb16-sam-sgd-100e_ffpp-raw-380px.py')
    assert cfg.train_dataloader.dataset.pipeline == \
        _load(RECIPE).train_dataloader.dataset.pipeline
    model = MODELS.build(cfg.model)
    assert model.backbone.model_name == 'legacy_xception'
    from laanet.testing import get_packed_inputs
    data = model.data_preprocessor(
        get_packed_inputs(batch_size=2, img_size=96, with_targets=False),
        True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    model.eval()
    with torch.no_grad():
        preds = model.predict(data['inputs'])
    assert all(0 <= float(p.pred_score) <= 1 for p in preds)
