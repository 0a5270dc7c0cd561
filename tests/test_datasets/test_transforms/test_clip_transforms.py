# Copyright (c) laanet contributors. All rights reserved.
"""The FakeSTormer clip-pair transforms: masking, targets, packing, and
the packed pair through pair_collate and the clip data preprocessor."""
import os.path as osp

import numpy as np
import pytest
import torch

from laanet.datasets import pair_collate
from laanet.datasets.transforms import (ClipFramewise,
                                        GenerateTemporalTargets,
                                        PackClipInputs, VulnerabilityMask)
from laanet.models.data_preprocessors import DeepfakeDataPreprocessor

DATA = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
                'data')


def clip_pair():
    """The result dict the video SBI transforms hand over (contract)."""
    m = np.load(osp.join(DATA, 'official_fst_masking.npz'))
    rs = np.random.RandomState(0)
    return dict(
        img=list(rs.randint(1, 256, (4, 224, 224, 3)).astype(np.uint8)),
        img_fake=list(rs.randint(1, 256, (4, 224, 224, 3)).astype(np.uint8)),
        boundary=np.zeros((4, 14, 14), np.uint8),
        boundary_fake=m['masks_f'].copy(),
        fake_intensity=0.8,
        gt_label=0,
        gt_label_fake=1,
        img_path=[f'v/{k}.png' for k in range(4)],
        video_id='v',
        video_id_fake='SBI/v',
        frame_idx=8,
        frame_indices=np.arange(8, 12))


def test_masking_is_the_same_for_real_and_fake_and_every_frame():
    m = np.load(osp.join(DATA, 'official_fst_masking.npz'))
    np.random.seed(5)
    masked = VulnerabilityMask(prob=1.)(clip_pair())
    kept = masked['heatmap_mask'][0]
    assert masked['heatmap_mask'].shape == (4, 14, 14)
    assert np.array_equal(masked['heatmap_mask'], masked['heatmap_mask_fake'])
    cells = np.kron(1 - kept, np.ones((16, 16))).astype(bool)
    for t in range(4):
        assert np.array_equal(masked['heatmap_mask'][t], kept)
        for key in ('img', 'img_fake'):
            assert (masked[key][t][cells] == 0).all()
            assert (masked[key][t][~cells] > 0).all()
    # the cells above the threshold u = 150 are always masked
    assert (kept[m['masks_f'][0] > 150] == 0).all()
    assert masked['frame_scores'].tolist() == [0] * 4
    assert masked['frame_scores_fake'][0] == pytest.approx(152 / 255)
    # not masked: all kept, fake scores 1, images untouched
    plain = VulnerabilityMask(prob=0.)(clip_pair())
    assert plain['heatmap_mask'].all() and plain['frame_scores_fake'].tolist(
    ) == [1] * 4
    assert np.array_equal(plain['img'][0], clip_pair()['img'][0])


def test_masking_half_of_the_clips():
    np.random.seed(0)
    t = VulnerabilityMask()
    hits = [not t(clip_pair())['heatmap_mask'].all() for _ in range(40)]
    assert 10 < sum(hits) < 30


def test_masking_that_hides_every_fake_frame_raises():
    results = clip_pair()
    results['boundary_fake'][1:] = 0
    results['boundary_fake'][0] = 0
    # one hot cell: masked, and nothing visible is left (u = 1)
    results['boundary_fake'][0, 3, 4] = 200
    np.random.seed(0)
    with pytest.raises(ValueError, match='v/0.png'):
        VulnerabilityMask(prob=1.)(results)


def test_temporal_targets_transform():
    t = np.load(osp.join(DATA, 'official_fst_temporal_targets.npz'))
    results = clip_pair()
    results['boundary_fake'] = t['boundary'][1].copy()
    out = GenerateTemporalTargets()(results)
    assert out['heatmap_fake'].dtype == np.float32
    np.testing.assert_array_equal(
        out['heatmap_fake'],
        t['m_std_normalized_fake_heatmap'][1].astype(np.float32))
    np.testing.assert_array_equal(
        out['heatmap'], t['m_std_normalized_real_heatmap'][1].astype(
            np.float32))
    with pytest.raises(ValueError, match='target_type'):
        GenerateTemporalTargets(target_type='max_normalized')


def test_packed_pair_collates_and_preprocesses_as_clips():
    np.random.seed(1)
    results = GenerateTemporalTargets()(VulnerabilityMask()(clip_pair()))
    item = PackClipInputs(pair=True)(results)
    assert item['inputs'].shape == (2, 3, 4, 224, 224)
    assert item['inputs'].dtype == torch.uint8
    # channel c, frame t of the fake view is img_fake[t][..., c]
    assert torch.equal(item['inputs'][1, 2, 3],
                       torch.from_numpy(results['img_fake'][3][..., 2]))
    real, fake = item['data_samples']
    assert real.gt_label.item() == 0 and fake.gt_label.item() == 1
    assert fake.gt_fields.heatmap.shape == (4, 14, 14)
    assert fake.gt_fields.heatmap_mask.shape == (4, 14, 14)
    assert fake.gt_frame_scores.shape == (4, )
    assert real.gt_frame_scores.tolist() == [0] * 4
    assert fake.video_id == 'SBI/v' and real.video_id == 'v'
    assert fake.frame_indices.tolist() == [8, 9, 10, 11]
    assert fake.frame_idx == 8 and len(fake.img_path) == 4
    torch.manual_seed(0)
    batch = pair_collate([item, PackClipInputs(pair=True)(results)])
    assert batch['inputs'].shape == (4, 3, 4, 224, 224)
    labels = [s.gt_label.item() for s in batch['data_samples']]
    for x, s in zip(batch['inputs'], batch['data_samples']):
        want = item['inputs'][s.gt_label.item()]
        assert torch.equal(x, want)
    assert sorted(labels) == [0, 0, 1, 1]
    pre = DeepfakeDataPreprocessor(
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
        to_rgb=True, layout='clip')
    out = pre(batch)
    assert out['inputs'].shape == (4, 3, 4, 224, 224)
    # RGB, ImageNet-normalised: channel 0 is the frames' red (BGR index 2)
    want = (batch['inputs'][0, 2, 1].float() - 123.675) / 58.395
    torch.testing.assert_close(out['inputs'][0, 0, 1], want)


def test_single_clip_for_testing_with_the_framewise_letterbox():
    rs = np.random.RandomState(0)
    results = dict(
        img=list(rs.randint(0, 256, (4, 256, 256, 3)).astype(np.uint8)),
        img_path=[f'v/{k}.png' for k in range(4)], gt_label=1, video_id='v',
        frame_idx=0, frame_indices=np.arange(4))
    results = ClipFramewise(transforms=[
        dict(type='CenterCropLetterbox', margin=15, scale=224)
    ])(results)
    assert results['img_shape'] == (224, 224)
    assert len(results['letterbox_matrix']) == 4
    item = PackClipInputs()(results)
    assert item['inputs'].shape == (3, 4, 224, 224)
    assert item['data_samples'].gt_label.item() == 1
    assert 'gt_frame_scores' not in item['data_samples']
    batch = pair_collate([item, item])
    assert batch['inputs'].shape == (2, 3, 4, 224, 224)
