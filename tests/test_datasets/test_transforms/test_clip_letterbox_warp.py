# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.datasets.transforms import ClipLetterboxWarp, LetterboxWarp


def _clip(side=226, frames=3):
    rs = np.random.RandomState(0)
    imgs = [rs.randint(0, 256, (side, side, 3), np.uint8)
            for _ in range(frames)]
    maps = rs.randint(0, 256, (frames, side, side)).astype(np.uint8)
    return imgs, maps


@pytest.mark.parametrize('side', [226, 213, 208])
def test_every_frame_warped_like_the_image_letterbox(side):
    imgs, maps = _clip(side)
    out = ClipLetterboxWarp()(
        dict(img=list(imgs), img_fake=[i[::-1].copy() for i in imgs],
             boundary=np.zeros_like(maps), boundary_fake=maps.copy()))
    assert out['img_shape'] == (224, 224)
    assert out['boundary_fake'].shape == (3, 14, 14)
    assert out['boundary_fake'].dtype == np.uint8
    np.testing.assert_array_equal(out['boundary'],
                                  np.zeros((3, 14, 14), np.uint8))
    single = LetterboxWarp(input_size=(224, 224), heatmap_size=(14, 14))
    for t in range(3):
        ref = single(dict(img=imgs[t], img_fake=imgs[t][::-1].copy(),
                          boundary_map_fake=maps[t]))
        np.testing.assert_array_equal(out['img'][t], ref['img'])
        np.testing.assert_array_equal(out['img_fake'][t], ref['img_fake'])
        np.testing.assert_array_equal(out['boundary_fake'][t],
                                      ref['boundary_map_fake'])


def test_boundary_grid_is_corner_aligned():
    # x' = x·13/225 for the 226-px crop: the corner pixels land on the
    # corner cells (the HRNet form would put pixel 225 at 13.6)
    maps = np.zeros((1, 226, 226), np.uint8)
    maps[0, 0, 0] = maps[0, 225, 225] = 255
    maps[0, 225, 0] = 200
    out = ClipLetterboxWarp()(dict(img=[np.zeros((226, 226, 3), np.uint8)],
                                   boundary=maps))
    grid = out['boundary'][0]
    assert (grid[0, 0], grid[13, 13], grid[13, 0]) == (255, 255, 200)
    assert grid.sum() == 255 + 255 + 200
