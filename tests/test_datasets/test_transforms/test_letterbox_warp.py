# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import numpy as np
import pytest

from laanet.datasets.transforms import GenerateBlendTargets, LetterboxWarp
from laanet.datasets.transforms.functional.warp_utils import letterbox_matrix


def test_warp_sizes_and_alignment():
    img = np.zeros((200, 200, 3), np.uint8)
    img[100:120, 40:60] = 255
    mask = np.zeros((200, 200), np.float32)
    mask[100:120, 40:60] = 1
    out = LetterboxWarp(input_size=(384, 384), heatmap_size=(96, 96))(
        dict(img=img, boundary_map=mask, blend_mask=mask.copy()))
    assert out['img'].shape == (384, 384, 3)
    assert out['boundary_map'].shape == (96, 96)
    assert out['img_shape'] == (384, 384)
    ys, xs = np.nonzero(out['img'][..., 0] > 127)
    hys, hxs = np.nonzero(out['boundary_map'] > 0.5)
    np.testing.assert_allclose([ys.mean() / 4, xs.mean() / 4],
                               [hys.mean(), hxs.mean()], atol=0.6)
    np.testing.assert_allclose(ys.mean(), 110 * 1.92, atol=2)


def test_letterbox_keeps_aspect_with_black_bars():
    img = np.full((100, 200, 3), 200, np.uint8)
    out = LetterboxWarp(input_size=(64, 64), heatmap_size=(16, 16))(
        dict(img=img))
    col = out['img'][:, 32, 0]
    assert (col[:14] == 0).all() and (col[-14:] == 0).all()
    assert (col[20:44] == 200).all()


def test_pre_aug_shape_anchors_top_left():
    img = np.full((80, 80, 3), 255, np.uint8)
    res = dict(img=img, pre_geo_shape=(100, 100))
    out = LetterboxWarp(input_size=(100, 100), heatmap_size=(25, 25))(
        dict(res))
    # official: centre/scale of the 100 px original, so the 80 px crop
    # occupies the top-left and the rest is black
    assert out['img'][5, 5, 0] == 255 and out['img'][95, 95, 0] == 0
    out = LetterboxWarp(
        input_size=(100, 100), heatmap_size=(25, 25),
        use_pre_aug_shape=False)(dict(res))
    assert out['img'][95, 95, 0] == 255


OFFICIAL_SBI = osp.join(
    osp.dirname(__file__), '..', '..', 'data', 'official_e2e',
    'sbi_warp.npz')


def _official_sbi_cases():
    """(face, seed) of the official SBI samples in ``sbi_warp.npz``."""
    with np.load(OFFICIAL_SBI) as z:
        return sorted({(k.split('_s')[0], int(k.split('_s')[1].split('_')[0]))
                       for k in z.files})


@pytest.mark.parametrize('face,seed', _official_sbi_cases())
def test_official_sbi_warp_and_targets(face, seed):
    """The official SBI sample's pre-warp arrays give the official warped
    images, 96-px boundary maps and targets (tests/data/official_e2e)."""
    with np.load(OFFICIAL_SBI) as z:
        ref = {k.split(f'{face}_s{seed}_')[1]: z[k]
               for k in z.files if k.startswith(f'{face}_s{seed}_')}
    pre_geo = tuple(int(v) for v in ref['pre_geo_shape'])
    geo_map = ref['geo_map']
    assert geo_map.shape == tuple(ref['geo_shape'])
    # the official matrices, to the last bit
    assert np.array_equal(letterbox_matrix(pre_geo, (384, 384)),
                          ref['trans'])
    assert np.array_equal(letterbox_matrix(pre_geo, (96, 96)),
                          ref['trans_hm'])
    zeros = np.zeros_like(geo_map)
    green = [k for k in ref if k.startswith('geo_img_')]
    img = ref[green[0]] if green else np.zeros(geo_map.shape, np.uint8)
    res = dict(img=img, img_fake=img, boundary_map=zeros,
               boundary_map_fake=geo_map, gt_label=0, gt_label_fake=1,
               pre_geo_shape=pre_geo)
    out = LetterboxWarp(input_size=(384, 384), heatmap_size=(96, 96))(res)
    # the issue-19 bar is one grey level; the warps are bit-identical
    assert out['boundary_map_fake'].dtype == np.uint8
    assert np.abs(out['boundary_map_fake'].astype(int) -
                  ref['warp_map']).max() <= 1
    assert not out['boundary_map'].any()
    if green:
        warped = ref[green[0].replace('geo_', 'warp_')]
        assert np.abs(out['img'].astype(int) - warped).max() <= 1
    if 'heatmap' in ref:
        out = GenerateBlendTargets(
            input_size=(384, 384), heatmap_size=(96, 96))(out)
        np.testing.assert_array_equal(out['heatmap_fake'][0], ref['heatmap'])
        np.testing.assert_array_equal(out['consistency_fake'][0],
                                      ref['consistency'])
