# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.datasets.transforms import JointGeometricAug


def _pair(h=120, w=90):
    rng = np.random.RandomState(0)
    img = rng.randint(1, 255, (h, w, 3), np.uint8)
    mask = rng.rand(h, w).astype(np.float32) + 0.01
    return dict(img=img, img_fake=img.copy(), blend_mask=mask.copy(),
                boundary_map=mask.copy(), blend_mask_fake=mask.copy(),
                boundary_map_fake=mask.copy(), img_shape=(h, w))


@pytest.mark.parametrize('op', ['crop', 'scale', 'erase', 'flip'])
def test_views_change_identically(op):
    kwargs = dict(flip_prob=float(op == 'flip'),
                  oneof_prob=float(op != 'flip'), crop_prob=1.,
                  scale_prob=1., erase_prob=1.)
    aug = JointGeometricAug(**kwargs)
    seen = False
    for seed in range(20):
        np.random.seed(seed)
        res = _pair()
        params = aug._rand_params((120, 90))
        np.random.seed(seed)
        out = aug(res)
        if params['op'] != (None if op == 'flip' else op):
            continue
        seen = True
        np.testing.assert_array_equal(out['img'], out['img_fake'])
        for key in ('blend_mask', 'boundary_map', 'blend_mask_fake',
                    'boundary_map_fake'):
            assert out[key].shape == out['img'].shape[:2]
            np.testing.assert_array_equal(out[key], out['blend_mask'])
        assert out['pre_geo_shape'] == (120, 90)
        assert out['img_shape'] == out['img'].shape[:2]
        if op == 'flip':
            np.testing.assert_array_equal(out['img'], _pair()['img'][:, ::-1])
            assert out['flip'] is True
        if op == 'erase':
            erased = (out['img'] == 0).all(-1)
            assert erased.any()
            assert not out['blend_mask'][erased].any()
        if op == 'crop':
            assert out['img'].shape[0] > 120 * 0.85
    assert seen


def test_erasing_box_is_relative_to_the_image():
    aug = JointGeometricAug(oneof_prob=1., erase_prob=1.)
    far = 0
    for seed in range(300):
        np.random.seed(seed)
        p = aug._rand_params((600, 500))
        if p['op'] != 'erase':
            continue
        y0, x0, bh, bw = p['box']
        assert y0 + bh <= 600 and x0 + bw <= 500
        area = bh * bw / (600 * 500)
        assert 0.015 < area < 0.36
        far += (y0 + bh > 300) or (x0 + bw > 300)
    # the official fixed 257-px canvas would never reach beyond 257 px
    assert far > 10


def test_repr_lists_arguments():
    assert 'erase_aspect=(0.3, 3.33)' in repr(JointGeometricAug())
