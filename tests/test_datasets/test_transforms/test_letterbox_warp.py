# Copyright (c) laanet contributors. All rights reserved.
import numpy as np

from laanet.datasets.transforms import LetterboxWarp


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
