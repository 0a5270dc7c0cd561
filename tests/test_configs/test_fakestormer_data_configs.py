# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's data configs build, and their clip datasets load clips."""
import glob
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import init_default_scope

from laanet.registry import DATASETS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BASES = osp.join(REPO, 'configs', '_base_', 'datasets')


@pytest.mark.parametrize('name,root', [('ffpp-c23', 'data/ffpp/c23/'),
                                       ('ffpp-raw', 'data/ffpp/c0/')])
def test_training_bases(name, root):
    cfg = Config.fromfile(osp.join(BASES, f'{name}_video-sbi_224px.py'))
    loader = cfg.train_dataloader
    assert loader.batch_size == 16
    assert loader.collate_fn.type == 'laanet.pair_collate'
    assert loader.sampler.type == 'ClipSampler'
    assert loader.dataset.clip_len == 4
    assert loader.dataset.data_root == root
    assert cfg.val_dataloader.dataset.data_root == root
    types = [t['type'] for t in loader.dataset.pipeline]
    assert types == [
        'LoadClipFrames', 'LoadClipLandmarks', 'VideoSelfBlend',
        'ClipLetterboxWarp', 'ClipJointColorAug', 'VulnerabilityMask',
        'GenerateTemporalTargets', 'PackClipInputs'
    ]
    init_default_scope('laanet')
    for pipeline in (loader.dataset.pipeline,
                     cfg.val_dataloader.dataset.pipeline):
        for step in pipeline:
            TRANSFORMS.build(step)
    # official validation: no flip
    assert cfg.val_dataloader.dataset.pipeline[2].sbi.hflip_prob == 0


def test_clip_test_base_with_a_test_set(tmp_path):
    cfg = Config.fromfile(osp.join(BASES, 'fakestormer_test_224px.py'))
    test_set = Config.fromfile(osp.join(BASES, 'celebdf-v2_test.py'))
    ds_cfg = test_set.test_dataloader.dataset
    ds_cfg.update(clip_len=cfg.test_clip_len, pipeline=cfg.test_pipeline)
    # 6 frames of one 256-px video: one 4-frame clip, the tail dropped
    for k in range(6):
        os.makedirs(tmp_path / 'v', exist_ok=True)
        cv2.imwrite(str(tmp_path / 'v' / f'{k}.png'),
                    np.full((256, 256, 3), 10 * k, np.uint8))
    ann = tmp_path / 'a.json'
    ann.write_text(json.dumps(dict(metainfo={}, data_list=[
        dict(img_path=f'v/{k}.png', video_id='v', frame_idx=k, label=1,
             landmarks=None) for k in range(6)])))
    ds_cfg.update(ann_file=str(ann), data_root=str(tmp_path))
    init_default_scope('laanet')
    ds = DATASETS.build(ds_cfg)
    assert len(ds) == 1
    item = ds[0]
    assert item['inputs'].shape == (3, 4, 224, 224)
    assert item['inputs'][:, :, 100, 100].tolist() == [[0, 10, 20, 30]] * 3
    assert item['data_samples'].frame_indices.tolist() == [0, 1, 2, 3]
    assert cfg.test_evaluator.video_score == 'logit_mean'


@pytest.mark.parametrize(
    'path',
    sorted(glob.glob(osp.join(REPO, 'configs', 'fakestormer', 'test',
                              '*.py'))),
    ids=osp.basename)
def test_per_set_test_configs_use_the_clip_protocol(path):
    cfg = Config.fromfile(path)
    ds = cfg.test_dataloader.dataset
    assert ds.clip_len == 4 and ds.test_mode
    assert ds.ann_file == 'annotations/test_consecutive.json'
    assert [t['type'] for t in ds.pipeline] == [
        'LoadClipFrames', 'ClipFramewise', 'PackClipInputs'
    ]
    assert ds.pipeline[1].transforms == [
        dict(type='CenterCropLetterbox', margin=15, scale=224)
    ]
    assert cfg.test_evaluator.video_score == 'logit_mean'
    assert cfg.model.data_preprocessor.layout == 'clip'


@pytest.mark.parametrize('name,root', [('fakestormer_c23.py', 'c23'),
                                       ('fakestormer_c0.py', 'c0')])
def test_recipes_train_on_their_clips_and_test_celebdf_v2(name, root):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'fakestormer', name))
    assert cfg.train_dataloader.dataset.data_root == f'data/ffpp/{root}/'
    assert cfg.val_dataloader.dataset.data_root == f'data/ffpp/{root}/'
    assert cfg.train_dataloader.sampler.type == 'ClipSampler'
    ds = cfg.test_dataloader.dataset
    assert ds.data_root == 'data/celebdf-v2/' and ds.clip_len == 4
    assert ds.pipeline[-1].type == 'PackClipInputs'
