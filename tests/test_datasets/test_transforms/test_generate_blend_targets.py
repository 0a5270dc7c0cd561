# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.codecs import blend_targets
from laanet.datasets.transforms import GenerateBlendTargets
from laanet.datasets.transforms.functional import blend_utils
from laanet.registry import TRANSFORMS

DATA = osp.join(osp.dirname(__file__), '..', '..', 'data')


def _fake_boundary():
    hull = np.zeros((96, 96), np.float32)
    cv2.ellipse(hull, (48, 50), (28, 36), 0, 0, 360, 1., -1)
    mask = cv2.GaussianBlur(hull, (15, 15), 5)
    return blend_targets.quantize_boundary(
        blend_utils.boundary_map(mask / mask.max()))


def _pair():
    return dict(
        img=np.zeros((384, 384, 3), np.uint8),
        img_fake=np.zeros((384, 384, 3), np.uint8),
        boundary_map=np.zeros((96, 96), np.uint8),
        gt_label=0,
        boundary_map_fake=_fake_boundary(),
        gt_label_fake=1)


def test_pair_targets():
    heatmap_cfg = dict(input_size=(384, 384), heatmap_size=(96, 96))
    out = TRANSFORMS.build(dict(type='GenerateBlendTargets', **heatmap_cfg))(
        _pair())
    assert out['heatmap'].shape == out['consistency'].shape == (1, 96, 96)
    assert not out['heatmap'].any() and not out['consistency'].any()
    hm, cst = out['heatmap_fake'][0], out['consistency_fake'][0]
    assert hm.dtype == cst.dtype == np.float32
    b = _pair()['boundary_map_fake']
    # one peak of 1.0 per tied maximum, some moved one pixel up-left as the
    # official encoder places them
    for qy in (slice(0, 48), slice(48, 96)):
        for qx in (slice(0, 48), slice(48, 96)):
            ys, xs = np.nonzero(b[qy, qx] == b[qy, qx].max())
            near = np.zeros((48, 48), bool)
            for y, x in zip(ys, xs):
                near[max(0, y - 1):y + 1, max(0, x - 1):x + 1] = True
            assert (hm[qy, qx] == 1.)[~near].sum() == 0
            assert (hm[qy, qx] == 1.).sum() >= len(ys) // 2
    bf = b.astype(np.float32) / 255
    np.testing.assert_allclose(cst, 1 - np.abs(bf.max() - bf), atol=1e-6)
    assert 0 <= cst.min() and cst.max() == 1


def test_reproduces_the_official_encoder_on_its_maps():
    # the official encoder's output on 12 SBI boundary maps of the
    # astronaut, an empty map and 4 synthetic ones (a copy of
    # shared/fixtures/official_blend_targets.npz)
    ref = np.load(osp.join(DATA, 'official_blend_targets.npz'))
    encoder = TRANSFORMS.build(
        dict(
            type='GenerateBlendTargets',
            input_size=(384, 384),
            heatmap_size=(96, 96)))
    for name, bound, hm, cst in zip(ref['names'], ref['boundary'],
                                    ref['heatmap'], ref['cstency']):
        res = dict(
            img=np.zeros((384, 384, 3), np.uint8),
            boundary_map=bound,
            gt_label=1)
        out = encoder(res)
        np.testing.assert_allclose(out['heatmap'], hm, atol=1e-6, err_msg=name)
        np.testing.assert_allclose(
            out['consistency'], cst, atol=1e-6, err_msg=name)


def test_real_consistency_ones_centred_peaks_and_float_maps():
    out = GenerateBlendTargets(real_consistency='ones')(_pair())
    assert (out['consistency'] == 1).all() and not out['heatmap'].any()
    # centred peaks: exactly one 1.0 per tied maximum, on it
    b = _pair()['boundary_map_fake']
    out = GenerateBlendTargets(center_peaks=True)(_pair())
    peaks = b[:48, :48] == b[:48, :48].max()
    np.testing.assert_array_equal(out['heatmap_fake'][0, :48, :48] == 1, peaks)
    # a float map: only the exact float maxima are peaks
    res = _pair()
    res['boundary_map_fake'] = b.astype(np.float32) / 255 + np.linspace(
        0, 1e-4, 96 * 96, dtype=np.float32).reshape(96, 96)
    out = GenerateBlendTargets(center_peaks=True)(res)
    assert (out['heatmap_fake'] == 1).sum() == 4


def test_fixed_sigma_and_errors():
    out = GenerateBlendTargets(adaptive_sigma=False, sigma=3.)(_pair())
    wide = (out['heatmap_fake'] > 0.5).sum()
    narrow = (GenerateBlendTargets()(_pair())['heatmap_fake'] > 0.5).sum()
    assert wide > narrow
    res = _pair()
    res['boundary_map_fake'] = np.zeros((64, 64), np.float32)
    res['img_path'] = 'x/frame.png'
    with pytest.raises(ValueError, match='x/frame.png.*|LetterboxWarp'):
        GenerateBlendTargets()(res)
    with pytest.raises(ValueError, match='real_consistency'):
        GenerateBlendTargets(real_consistency='half')
    text = repr(GenerateBlendTargets())
    assert "real_consistency='zeros'" in text
    assert 'center_peaks=False' in text and 'stop_runs_at_border=False' in text
