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
                  scale_prob=1., erase_prob=1., erase_canvas=None)
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


def _erase_boxes(aug, shape, n=300):
    boxes = []
    for seed in range(n):
        np.random.seed(seed)
        p = aug._rand_params(shape)
        if p['op'] == 'erase':
            boxes.append(p['box'])
    return boxes


def test_erasing_box_on_the_official_canvas_or_the_image():
    # official: a fixed 257 x 257 canvas whatever the image size
    boxes = _erase_boxes(JointGeometricAug(oneof_prob=1.), (600, 500))
    assert len(boxes) > 50
    for y0, x0, bh, bw in boxes:
        assert y0 + bh <= 257 and x0 + bw <= 257
        assert 0.015 < bh * bw / 257**2 < 0.36
    # erase_canvas=None: relative to the image, so boxes reach beyond 257
    boxes = _erase_boxes(JointGeometricAug(oneof_prob=1., erase_canvas=None),
                         (600, 500))
    far = 0
    for y0, x0, bh, bw in boxes:
        assert y0 + bh <= 600 and x0 + bw <= 500
        assert 0.015 < bh * bw / (600 * 500) < 0.36
        far += (y0 + bh > 300) or (x0 + bw > 300)
    assert far > 10


def test_the_chosen_member_is_always_applied():
    # albumentations' OneOf applies the member it picks (the members' p
    # only weight the pick): each of crop / scale / erase runs with
    # probability oneof_prob / 3 = 1/6
    aug = JointGeometricAug()
    ops = []
    for seed in range(3000):
        np.random.seed(seed)
        ops.append(aug._rand_params((226, 226))['op'])
    for op in ('crop', 'scale', 'erase'):
        assert abs(ops.count(op) / 3000 - 1 / 6) < 0.025, op
    assert abs(ops.count(None) / 3000 - 0.5) < 0.03
    # the weights steer the pick
    aug = JointGeometricAug(oneof_prob=1., crop_prob=1., scale_prob=0.,
                            erase_prob=0.)
    np.random.seed(0)
    assert aug._rand_params((226, 226))['op'] == 'crop'


def test_rescale_truncates_the_size():
    aug = JointGeometricAug(flip_prob=0., oneof_prob=1., crop_prob=0.,
                            erase_prob=0.)
    np.random.seed(1)
    factor = aug._rand_params((120, 90))['factor']
    np.random.seed(1)
    out = aug(_pair())
    assert out['img'].shape[:2] == (int(120 * factor), int(90 * factor))


def test_repr_lists_arguments():
    assert 'erase_aspect=(0.3, 3.33)' in repr(JointGeometricAug())
