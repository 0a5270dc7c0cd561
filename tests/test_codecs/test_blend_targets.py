# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.codecs import blend_targets
from laanet.datasets.transforms.functional import blend_utils

DATA = osp.join(osp.dirname(__file__), '..', 'data')


def test_gaussian_radius_properties():
    assert blend_targets.gaussian_radius((0, 0)) == 0
    r = blend_targets.gaussian_radius((10, 20), 0.7)
    assert r == pytest.approx(blend_targets.gaussian_radius((20, 10), 0.7))
    assert 0 < r < blend_targets.gaussian_radius((20, 40), 0.7)
    assert blend_targets.gaussian_radius((10, 20), 0.9) < r


def _reference_encoder(t, center=False):
    """Independent loop-by-loop reading of the official encoder (§3.4).

    Runs stop at the border (the maps used here do not reach it). With
    ``center`` the Gaussians are centred on their points instead of the
    official HRNet-style float window.
    """
    t = t.astype(np.int64)
    h, w = t.shape
    hm = np.zeros((h, w), np.float32)
    cst = np.zeros((h, w), np.float64)
    gmax = t.max()
    for y0, y1, x0, x1 in [(0, h // 2, 0, w // 2), (h // 2, h, 0, w // 2),
                           (0, h // 2, w // 2, w), (h // 2, h, w // 2, w)]:
        q = t[y0:y1, x0:x1]
        m = q.max() if q.max() > 0 else 1
        pts = [(y0 + a, x0 + b) for a, b in zip(*np.nonzero(q == m))]
        for y, x in pts:
            vert = 0
            for d in (-1, 1):
                yy = y
                while 0 <= yy < h and t[yy, x] > 128:
                    vert += 1
                    yy += d
            horiz = 0
            for d in (-1, 1):
                xx = x
                while 0 <= xx < w and t[y, xx] > 128:
                    horiz += 1
                    xx += d
            sigma = blend_targets.gaussian_radius(
                (horiz, vert), 0.7) / 3 + 1e-4
            if center:
                rad = int(3 * sigma)
                for yy in range(max(0, y - rad), min(h, y + rad + 1)):
                    for xx in range(max(0, x - rad), min(w, x + rad + 1)):
                        g = np.exp(-((xx - x)**2 + (yy - y)**2) /
                                   (2 * sigma**2))
                        hm[yy, xx] = max(hm[yy, xx], g)
                continue
            # a (6σ + 1)-sample float32 grid centred at (6σ + 1) // 2, its
            # first sample at int(p - 3σ) (truncated toward zero)
            size = 6 * sigma + 1
            grid = np.arange(0, size, 1, np.float32)
            mid = size // 2
            left, top = int(x - 3 * sigma), int(y - 3 * sigma)
            right, bottom = int(x + 3 * sigma + 1), int(y + 3 * sigma + 1)
            for yy in range(max(0, top), min(h, bottom)):
                for xx in range(max(0, left), min(w, right)):
                    gy, gx = grid[yy - top], grid[xx - left]
                    g = np.exp(-((gx - mid)**2 + (gy - mid)**2) /
                               np.float32(2 * sigma**2))
                    hm[yy, xx] = max(hm[yy, xx], g)
        if pts:
            cst[y0:y1, x0:x1] = (255 - np.abs(gmax - q)) / 255
    return hm, cst


def _ellipse_boundary(size=48):
    hull = np.zeros((size, size), np.float32)
    cv2.ellipse(hull, (size // 2, size // 2 + 2), (14, 18), 10, 0, 360, 1., -1)
    mask = cv2.GaussianBlur(hull, (9, 9), 3)
    return blend_utils.boundary_map(mask / mask.max())


def test_encoder_matches_independent_reference():
    bound = blend_targets.quantize_boundary(_ellipse_boundary())
    hm, cst = blend_targets.encode_blend_targets(bound)
    ref_hm, ref_cst = _reference_encoder(bound)
    np.testing.assert_allclose(hm, ref_hm, atol=1e-6)
    np.testing.assert_allclose(cst, ref_cst, atol=1e-6)
    hm_c, _ = blend_targets.encode_blend_targets(bound, center_peaks=True)
    np.testing.assert_allclose(
        hm_c, _reference_encoder(bound, True)[0], atol=1e-6)


def test_encoder_reproduces_the_official_encoder():
    # outputs of the official encoder on 12 real SBI boundary maps of the
    # astronaut and 5 synthetic maps (tests/data, see its README)
    ref = np.load(osp.join(DATA, 'official_blend_targets.npz'))
    for name, bound, hm_ref, cst_ref in zip(ref['names'], ref['boundary'],
                                            ref['heatmap'], ref['cstency']):
        hm, cst = blend_targets.encode_blend_targets(bound)
        np.testing.assert_allclose(hm, hm_ref[0], atol=1e-6, err_msg=name)
        np.testing.assert_allclose(cst, cst_ref[0], atol=1e-6, err_msg=name)
    # centred peaks differ on these maps: the option is a real deviation
    hm_c, _ = blend_targets.encode_blend_targets(
        ref['boundary'][0], center_peaks=True)
    assert np.abs(hm_c - ref['heatmap'][0, 0]).max() > 0.1


def test_official_peaks_sit_up_left_when_frac_3sigma_below_half():
    for sigma, shift in ((1.1, 1), (1.2, 0), (0.7, 1), (0.9, 0), (1.0, 0)):
        hm = np.zeros((20, 20), np.float32)
        blend_targets.draw_gaussians(hm, np.array([10]), np.array([10]),
                                     np.array([sigma]))
        frac = 3 * sigma % 1
        assert (0 < frac < 0.5) == bool(shift), sigma
        assert hm[10 - shift, 10 - shift] == 1.0, sigma
        # the window has one more row / column on the upper-left side
        rows = np.nonzero(hm.any(1))[0]
        assert 10 - rows[0] == int(np.ceil(3 * sigma)), sigma
        assert rows[-1] - 10 == int(3 * sigma), sigma
        centred = np.zeros((20, 20), np.float32)
        blend_targets.draw_gaussians(
            centred,
            np.array([10]),
            np.array([10]),
            np.array([sigma]),
            center=True)
        assert centred[10, 10] == 1.0


def test_run_lengths_wrap_around_the_top_left_border():
    binary = np.zeros((10, 10), bool)
    binary[0:3, 4] = True  # a run touching the top border
    binary[8:10, 4] = True  # ... that continues from the bottom row
    binary[5, 0:2] = True  # and one touching the left border
    binary[5, 7:10] = True
    ys, xs = np.array([1, 5]), np.array([4, 1])
    vert, horiz = blend_targets.run_lengths(binary, ys, xs)
    # up from (1, 4): rows 1, 0, then 9, 8; down: rows 1, 2
    assert vert[0] == 4 + 2
    assert horiz[1] == (2 + 3) + 1
    vert, horiz = blend_targets.run_lengths(binary, ys, xs, wrap=False)
    assert vert[0] == 2 + 2 and horiz[1] == 2 + 1


def test_quantization_decides_ties():
    bound = _ellipse_boundary()
    hm_float, _ = blend_targets.encode_blend_targets(bound)
    hm_q, _ = blend_targets.encode_blend_targets(
        blend_targets.quantize_boundary(bound))
    # truncation to uint8 makes several pixels tie for each maximum
    assert (hm_q == 1).sum() > (hm_float == 1).sum() >= 4
    assert blend_targets.quantize_boundary(np.array(
        [[0.9999, 0.5]])).tolist() == [[254, 127]]


def test_encoder_on_empty_map_gives_zeros():
    hm, cst = blend_targets.encode_blend_targets(np.zeros((16, 16), np.uint8))
    assert not hm.any() and not cst.any()
