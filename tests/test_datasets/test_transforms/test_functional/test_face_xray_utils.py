# Copyright (c) laanet contributors. All rights reserved.
"""Every deterministic BI step against the official intermediates.

``tests/data/official_bi_steps.npz`` holds the official LAA-Net BI
intermediates of one sample (the 317-px astronaut blended with its mirror
image, working size 224, the official deformed mask given as an input);
``tests/data/README.md`` says how it was made. Every step is exact.
"""
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.codecs import blend_targets
from laanet.datasets.transforms import BlendImages
from laanet.datasets.transforms.functional import (blend_utils,
                                                   face_xray_utils, warp_utils)

DATA = osp.join(osp.dirname(__file__), '..', '..', '..', 'data')


@pytest.fixture(scope='module')
def official():
    """The official arrays, decoded (images RGB, as the official code)."""
    with np.load(osp.join(DATA, 'official_bi_steps.npz')) as z:
        out = {}
        for key in z.files:
            if key.startswith('png_'):
                out[key[4:]] = cv2.imdecode(z[key], cv2.IMREAD_UNCHANGED)
            elif key.startswith('bits_'):
                shape = (317, 317) if '317' in key else (224, 224)
                out[key[5:]] = np.unpackbits(z[key])[:np.prod(shape)] \
                    .reshape(shape).astype(np.float32)
            else:
                out[key] = z[key]
    out['fg'] = np.ascontiguousarray(out['bg'][:, ::-1])
    inside = out['eroded'].astype(bool)[..., None]
    out['fg_w'] = np.ascontiguousarray(out['bg_w'][:, ::-1])
    out['fg_ct'] = np.where(inside, out['fg_ct'], out['fg_w'])
    out['blended_w'] = np.where(inside, out['blended_w'], out['bg_w'])
    return out


def test_working_size_resizes_truncate_like_skimage(official):
    size = int(official['work_size'])
    for key in ('bg', 'fg'):
        out = face_xray_utils.sk_resize(official[key], (size, size))
        np.testing.assert_array_equal(out, official[key + '_w'])
    # the truncation darkens: rounding would be brighter by ~0.5 level
    rounded = cv2.resize(official['bg'], (size, size),
                         interpolation=cv2.INTER_AREA)
    assert official['bg_w'].mean() < rounded.mean() - 0.3


@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
def test_hulls_from_truncated_landmarks(official, hull_type):
    lms = official['landmarks']
    size = int(official['work_size'])
    np.testing.assert_array_equal(
        blend_utils.hull_mask(lms, (317, 317), hull_type),
        official['hull317_' + hull_type])
    # landmarks scaled as the official code scales them (float64)
    np.testing.assert_array_equal(
        blend_utils.hull_mask(lms * (size / 317), (size, size), hull_type),
        official['hullW_' + hull_type])


def test_binarised_erode_and_dilate(official):
    deformed = official['deformed']
    assert ((deformed > 0) & (deformed < 1)).any()  # a fractional edge
    np.testing.assert_array_equal(
        face_xray_utils.binary_erode_dilate(
            deformed, True, int(official['erode_ksize'])),
        official['eroded'])
    np.testing.assert_array_equal(
        face_xray_utils.binary_erode_dilate(
            deformed, False, int(official['dilate_ksize'])),
        official['dilated'])


def test_color_transfer_blend_weights_and_blend(official):
    mask = official['eroded']
    fg_ct = face_xray_utils.masked_color_transfer(official['fg_w'],
                                                  official['bg_w'], mask)
    np.testing.assert_array_equal(fg_ct, official['fg_ct'])
    weights = face_xray_utils.hull_feather_weights(mask)
    np.testing.assert_array_equal(weights, official['weights_w'])
    np.testing.assert_array_equal(
        face_xray_utils.feathered_blend(fg_ct, official['bg_w'], weights),
        official['blended_w'])
    with pytest.raises(ValueError, match='empty'):
        face_xray_utils.hull_feather_weights(np.zeros_like(mask))


def test_resize_back_boundary_and_target_warp(official):
    np.testing.assert_array_equal(
        face_xray_utils.sk_resize(official['blended_w'], (317, 317)),
        official['blended'])
    weights = face_xray_utils.sk_resize(official['weights_w'], (317, 317),
                                        to_uint8=False)
    np.testing.assert_array_equal(weights, official['M'])
    boundary = ((1 - weights) * weights * 4)[60:317, 30:287]
    np.testing.assert_array_equal(
        blend_targets.quantize_boundary(boundary), official['B'])
    b96 = cv2.warpAffine(official['B'],
                         warp_utils.letterbox_matrix((257, 257), (96, 96)),
                         (96, 96), flags=cv2.INTER_LINEAR)
    np.testing.assert_array_equal(b96, official['B96'])


@pytest.mark.parametrize('interp', ['bilinear', 'nearest'])
def test_pil_down_up_sampling(official, interp):
    small = face_xray_utils.pil_resize(official['blended'], (150, 150),
                                       interp)
    out = face_xray_utils.pil_resize(small, (317, 317))
    np.testing.assert_array_equal(out[60:317, 30:287],
                                  official['down_' + interp])


def test_blend_images_reproduces_the_official_sample(official, tmp_path,
                                                     monkeypatch):
    """The whole transform with the official draws: the same B and image."""
    from laanet.datasets.transforms import blend_images
    partner = str(tmp_path / 'fg.png')
    cv2.imwrite(partner, official['fg'])
    monkeypatch.setattr(blend_images, 'piecewise_affine',
                        lambda mask, **kw: official['deformed'])
    transform = BlendImages(prob_fake=1., hull_types=('dfl_full', ))
    params = dict(fake=True, partner=0, work_size=224,
                  hull_type='dfl_full', deform={}, erode=True,
                  ksize=int(official['erode_ksize']), downscale=True,
                  down_size=150, down_interp='nearest')
    monkeypatch.setattr(transform, '_rand_params', lambda *a: params)
    out = transform(
        dict(img=official['bg'].copy(), landmarks=official['landmarks'],
             best_match=[partner], img_path='astronaut'))
    np.testing.assert_array_equal(out['boundary_map'], official['B'])
    np.testing.assert_array_equal(out['img'], official['down_nearest'])
    assert out['gt_label'] == 1 and out['img'].shape == (257, 257, 3)


def test_piecewise_affine_grid_clipping_and_identity():
    mask = np.zeros((60, 80), np.float32)
    mask[20:40, 20:60] = 1
    # a jitter with no positive value leaves the mask alone (imgaug)
    out = face_xray_utils.piecewise_affine(mask, 2, 2, -np.ones((4, 2)))
    np.testing.assert_array_equal(out, mask)
    # one positive value: corners stay, clipped into the image, so the
    # far border moves in by one pixel: the content is stretched
    jitter = np.zeros((4, 2))
    jitter[0] = 1e-9
    out = face_xray_utils.piecewise_affine(mask, 2, 2, jitter)
    assert out.dtype == np.float32 and out.shape == mask.shape
    assert out.sum() > mask.sum()


@pytest.mark.parametrize('seed', range(6))
def test_piecewise_affine_equals_scikit_image_warp(official, seed):
    """imgaug's own recipe: scikit-image's transform and warp."""
    from skimage.transform import PiecewiseAffineTransform, warp
    rng = np.random.RandomState(seed)
    mask = official['hullW_' + blend_utils.HULL_TYPES[seed % 4]]
    if seed % 2:  # an off-centre face, cut by the border
        mask = np.roll(mask, (60, -70), axis=(0, 1))
    draw = face_xray_utils.draw_piecewise_affine(rng)
    h, w = mask.shape
    xx, yy = np.meshgrid(np.linspace(0, w, draw['cols']),
                         np.linspace(0, h, draw['rows']))
    src = np.stack([xx.ravel(), yy.ravel()], 1)
    dst = np.stack([
        np.clip(src[:, 0] + draw['jitter'][:, 1] * w, 0, w - 1),
        np.clip(src[:, 1] + draw['jitter'][:, 0] * h, 0, h - 1)
    ], 1)
    tform = PiecewiseAffineTransform.from_estimate(src, dst)
    expected = warp(mask, tform, order=1, mode='constant', cval=0,
                    preserve_range=True).astype(np.float32)
    out = face_xray_utils.piecewise_affine(mask, **draw)
    assert np.abs(out - expected).max() < 1e-6
    # the binarised masks (what the next step keeps) are identical
    np.testing.assert_array_equal(out.astype(np.uint8),
                                  expected.astype(np.uint8))


def test_piecewise_affine_draws():
    rng = np.random.RandomState(0)
    draws = [face_xray_utils.draw_piecewise_affine(rng) for _ in range(300)]
    grids = {(d['rows'], d['cols']) for d in draws}
    assert grids == {(r, c) for r in (2, 3, 4) for c in (2, 3, 4)}
    stds = [d['jitter'].std() for d in draws if d['jitter'].size >= 9]
    assert 0.01 < np.median(stds) < 0.15


@pytest.mark.parametrize('seed', range(4))
def test_sk_resize_window_equals_the_full_resize(official, seed):
    from skimage.transform import resize
    rng = np.random.RandomState(seed)
    img = official['bg'] if seed % 2 else rng.rand(150, 201)
    shape = (rng.randint(100, 330), rng.randint(100, 330))
    full = resize(img, shape, preserve_range=True)
    np.testing.assert_array_equal(
        face_xray_utils.sk_resize(img, shape, to_uint8=False), full)
    y0, x0 = rng.randint(0, 50, 2)
    y1, x1 = shape[0] - rng.randint(0, 50), shape[1] - rng.randint(0, 50)
    np.testing.assert_array_equal(
        face_xray_utils.sk_resize(img, shape, to_uint8=False,
                                  window=(y0, y1, x0, x1)),
        full[y0:y1, x0:x1])
