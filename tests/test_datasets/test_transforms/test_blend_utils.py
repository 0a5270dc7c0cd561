# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import (blend_utils, face_xray_utils,
                                        landmark_utils, target_codec,
                                        warp_utils)

DATA = osp.join(osp.dirname(__file__), '..', '..', 'data')


@pytest.mark.parametrize('num_points', [68, 81])
def test_flip_index_map_is_involution_swapping_eyes(num_points):
    idx = landmark_utils.flip_index_map(num_points)
    assert sorted(idx.tolist()) == list(range(num_points))
    np.testing.assert_array_equal(idx[idx], np.arange(num_points))
    # outer corners, inner corners, jaw ends, mouth corners swap
    assert idx[36] == 45 and idx[39] == 42
    assert idx[0] == 16 and idx[48] == 54
    assert set(idx[36:42]) == set(range(42, 48))
    # nose bridge and mouth centre stay
    assert list(idx[27:31]) == [27, 28, 29, 30]
    assert idx[51] == 51 and idx[57] == 57
    if num_points == 81:
        assert idx[68] == 80 and idx[74] == 74


def test_flip_index_map_rejects_other_counts():
    with pytest.raises(ValueError, match='68 or 81'):
        landmark_utils.flip_index_map(5)


def test_hflip_landmarks_on_real_face(astronaut_face):
    img, lms = astronaut_face
    w = img.shape[1]
    for exact, offset in ((True, 1), (False, 0)):
        flipped = landmark_utils.hflip_landmarks(
            np.asarray(lms), w, exact=exact)
        # the image-left eye of the flipped face is the mirrored image-right
        # eye: x -> W - 1 - x (exact) or W - x (the official mapping)
        np.testing.assert_allclose(
            flipped[36:42, 0].mean(),
            w - offset - lms[42:48, 0].mean(),
            atol=1e-4)
        assert flipped[36:42, 0].mean() < flipped[42:48, 0].mean()
        np.testing.assert_allclose(
            landmark_utils.hflip_landmarks(flipped, w, exact=exact),
            lms,
            atol=1e-4)


def test_reorder_landmarks_forehead():
    lms = np.arange(81 * 2, dtype=np.float32).reshape(81, 2)
    out = landmark_utils.reorder_landmarks(lms)
    np.testing.assert_array_equal(out[:68], lms[:68])
    np.testing.assert_array_equal(out[68], lms[77])
    np.testing.assert_array_equal(out[75], lms[80])
    np.testing.assert_array_equal(
        landmark_utils.reorder_landmarks(lms[:68]), lms[:68])


@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
def test_hull_masks_cover_the_face(astronaut_face, hull_type):
    img, lms = astronaut_face
    mask = blend_utils.hull_mask(np.asarray(lms), img.shape[:2], hull_type)
    assert mask.shape == img.shape[:2]
    assert mask.min() >= 0 and mask.max() == 1
    nose = np.round(lms[30]).astype(int)
    assert mask[nose[1], nose[0]] == 1
    assert mask[0, 0] == 0 and mask[-1, -1] == 0
    if hull_type != 'facehull':
        assert set(np.unique(mask)) <= {0., 1.}


def test_extended_hull_reaches_above_the_brows(astronaut_face):
    img, lms = astronaut_face
    lms = np.asarray(lms)
    comp = blend_utils.hull_mask(lms, img.shape[:2], 'components')
    ext = blend_utils.hull_mask(lms, img.shape[:2], 'extended')
    assert ext.sum() > comp.sum()
    assert np.nonzero(ext)[0].min() < np.nonzero(comp)[0].min()
    with pytest.raises(ValueError, match='Unknown hull'):
        blend_utils.hull_mask(lms, img.shape[:2], 'ellipse')


def test_blend_mask_and_boundary():
    hull = np.zeros((128, 128), np.float32)
    cv2.circle(hull, (64, 64), 40, 1., -1)
    mask = blend_utils.blend_mask(hull, (110, 140), 15, 11, 10.)
    assert mask.dtype == np.float32 and mask.shape == hull.shape
    assert mask.min() >= 0 and mask.max() <= 1 and mask.max() > 0.99
    assert mask[0, 0] == 0
    # the core is kept: the mask is not reduced to a few pixels
    assert (mask > 0.5).sum() > 0.5 * (hull > 0).sum()
    bound = blend_utils.boundary_map(mask)
    np.testing.assert_allclose(bound, 4 * mask * (1 - mask), atol=1e-6)
    assert bound.max() <= 1
    near_half = np.abs(mask - 0.5) < 0.02
    assert near_half.any() and bound[near_half].min() > 0.998
    with pytest.raises(ValueError, match='empty'):
        blend_utils.blend_mask(np.zeros_like(hull), (100, 100), 5, 5, 5.)


def test_blend_keeps_target_outside_mask():
    rng = np.random.RandomState(0)
    src = rng.randint(0, 255, (32, 32, 3), np.uint8)
    dst = rng.randint(0, 255, (32, 32, 3), np.uint8)
    mask = np.zeros((32, 32), np.float32)
    mask[8:24, 8:24] = 1
    out = blend_utils.blend(src, dst, mask, 1.)
    np.testing.assert_array_equal(out[mask == 0], dst[mask == 0])
    np.testing.assert_array_equal(out[mask == 1], src[mask == 1])
    half = blend_utils.blend(src, dst, mask, 0.5)
    expected = (0.5 * src.astype(np.float32) + 0.5 * dst).astype(np.uint8)
    assert np.abs(half[mask == 1].astype(int) - expected[mask == 1]).max() <= 1


def test_letterbox_matrix_fits_longer_side():
    mat = warp_utils.letterbox_matrix((100, 200), (384, 384))
    corners = np.array([[0, 0, 1], [199, 99, 1]], np.float64)
    mapped = corners @ mat.T
    # corner-aligned: the first and last columns map to 0 and 383
    np.testing.assert_allclose(mapped[:, 0], [0, 383], atol=1e-4)
    # the centre maps to the output centre, (384 - 1) / 2
    np.testing.assert_allclose(mat @ [99.5, 49.5, 1], [191.5, 191.5],
                               atol=1e-4)


def test_gaussian_radius_properties():
    assert target_codec.gaussian_radius((0, 0)) == 0
    r = target_codec.gaussian_radius((10, 20), 0.7)
    assert r == pytest.approx(target_codec.gaussian_radius((20, 10), 0.7))
    assert 0 < r < target_codec.gaussian_radius((20, 40), 0.7)
    assert target_codec.gaussian_radius((10, 20), 0.9) < r


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
            sigma = target_codec.gaussian_radius((horiz, vert), 0.7) / 3 + 1e-4
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
    bound = target_codec.quantize_boundary(_ellipse_boundary())
    hm, cst = target_codec.encode_blend_targets(bound)
    ref_hm, ref_cst = _reference_encoder(bound)
    np.testing.assert_allclose(hm, ref_hm, atol=1e-6)
    np.testing.assert_allclose(cst, ref_cst, atol=1e-6)
    hm_c, _ = target_codec.encode_blend_targets(bound, center_peaks=True)
    np.testing.assert_allclose(
        hm_c, _reference_encoder(bound, True)[0], atol=1e-6)


def test_encoder_reproduces_the_official_encoder():
    # outputs of the official encoder on 12 real SBI boundary maps of the
    # astronaut and 5 synthetic maps (tests/data, see its README)
    ref = np.load(osp.join(DATA, 'official_blend_targets.npz'))
    for name, bound, hm_ref, cst_ref in zip(ref['names'], ref['boundary'],
                                            ref['heatmap'], ref['cstency']):
        hm, cst = target_codec.encode_blend_targets(bound)
        np.testing.assert_allclose(hm, hm_ref[0], atol=1e-6, err_msg=name)
        np.testing.assert_allclose(cst, cst_ref[0], atol=1e-6, err_msg=name)
    # centred peaks differ on these maps: the option is a real deviation
    hm_c, _ = target_codec.encode_blend_targets(
        ref['boundary'][0], center_peaks=True)
    assert np.abs(hm_c - ref['heatmap'][0, 0]).max() > 0.1


def test_official_peaks_sit_up_left_when_frac_3sigma_below_half():
    for sigma, shift in ((1.1, 1), (1.2, 0), (0.7, 1), (0.9, 0), (1.0, 0)):
        hm = np.zeros((20, 20), np.float32)
        target_codec.draw_gaussians(hm, np.array([10]), np.array([10]),
                                    np.array([sigma]))
        frac = 3 * sigma % 1
        assert (0 < frac < 0.5) == bool(shift), sigma
        assert hm[10 - shift, 10 - shift] == 1.0, sigma
        # the window has one more row / column on the upper-left side
        rows = np.nonzero(hm.any(1))[0]
        assert 10 - rows[0] == int(np.ceil(3 * sigma)), sigma
        assert rows[-1] - 10 == int(3 * sigma), sigma
        centred = np.zeros((20, 20), np.float32)
        target_codec.draw_gaussians(
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
    vert, horiz = target_codec.run_lengths(binary, ys, xs)
    # up from (1, 4): rows 1, 0, then 9, 8; down: rows 1, 2
    assert vert[0] == 4 + 2
    assert horiz[1] == (2 + 3) + 1
    vert, horiz = target_codec.run_lengths(binary, ys, xs, wrap=False)
    assert vert[0] == 2 + 2 and horiz[1] == 2 + 1


def test_quantization_decides_ties():
    bound = _ellipse_boundary()
    hm_float, _ = target_codec.encode_blend_targets(bound)
    hm_q, _ = target_codec.encode_blend_targets(
        target_codec.quantize_boundary(bound))
    # truncation to uint8 makes several pixels tie for each maximum
    assert (hm_q == 1).sum() > (hm_float == 1).sum() >= 4
    assert target_codec.quantize_boundary(np.array(
        [[0.9999, 0.5]])).tolist() == [[254, 127]]


def test_encoder_on_empty_map_gives_zeros():
    hm, cst = target_codec.encode_blend_targets(np.zeros((16, 16), np.uint8))
    assert not hm.any() and not cst.any()


def test_masked_color_transfer_and_hull_feather():
    src = np.full((40, 40, 3), 100, np.uint8)
    dst = np.full((40, 40, 3), 150, np.uint8)
    mask = np.zeros((40, 40), np.float32)
    mask[10:30, 10:30] = 1
    out = face_xray_utils.masked_color_transfer(src, dst, mask)
    assert (out[mask > 0] == 150).all() and (out[mask == 0] == 100).all()
    weights = face_xray_utils.hull_feather_weights(mask, 0.2)
    # distance to the hull of the pixel centres 10..29, face size 19
    assert weights[0, 0] == 0 and weights[10, 20] == 0
    assert weights[12, 20] == pytest.approx(2 / (0.2 * 19))
    assert weights[20, 20] == 1


def test_hull_feather_measures_distance_to_the_convex_hull():
    # an L-shaped mask: in the notch, distance to the convex hull is
    # larger than the distance to the mask edge
    mask = np.zeros((60, 60), np.uint8)
    mask[10:50, 10:20] = 1
    mask[40:50, 10:50] = 1
    weights = face_xray_utils.hull_feather_weights(mask, 0.2)
    ys, xs = np.nonzero(mask)
    hull = cv2.convexHull(np.stack([xs, ys], 1).astype(np.int32))
    for y, x in ((15, 15), (45, 30), (40, 19), (49, 49)):
        d = cv2.pointPolygonTest(hull, (float(x), float(y)), True)
        assert weights[y, x] == pytest.approx(min(1, d / (0.2 * 39)),
                                              abs=1e-12)


def test_coarse_elastic_field_matches_per_pixel_statistics():
    rng = np.random.RandomState(0)
    fine, coarse = [], []
    for _ in range(20):
        fine.append(
            warp_utils.elastic_displacement(
                rng.uniform(-1, 1, (2, 128, 128)).astype(np.float32), 50, 7))
        coarse.append(
            warp_utils.elastic_displacement(
                rng.uniform(-1, 1, (2, 32, 32)).astype(np.float32), 50, 7,
                (128, 128)))
    fine, coarse = np.stack(fine), np.stack(coarse)
    assert coarse.shape == fine.shape
    std_f = fine[..., 20:-20, 20:-20].std()
    std_c = coarse[..., 20:-20, 20:-20].std()
    assert 0.6 < std_c / std_f < 1.5
    # smooth: neighbouring pixels move alike
    assert np.abs(np.diff(coarse, axis=-1)).mean() < 0.1 * std_c


@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
@pytest.mark.parametrize('ksize1', [5, 15, 25])
def test_blend_mask_core_equals_float64_blur(astronaut_face, hull_type,
                                             ksize1):
    # reference: float64 blur, divide by the max, keep values equal to 1
    hull = blend_utils.hull_mask(
        np.asarray(astronaut_face[1]), (256, 256), hull_type)
    ref = cv2.resize(hull.astype(np.float64), (230, 280))
    ref = cv2.GaussianBlur(ref, (ksize1, ksize1), 0)
    ref = (ref / ref.max() >= 1).astype(np.float32)
    ref = cv2.GaussianBlur(ref, (9, 9), 7.)
    ref = cv2.resize(ref / ref.max(), (256, 256))
    ours = blend_utils.blend_mask(hull, (280, 230), ksize1, 9, 7.)
    np.testing.assert_allclose(ours, np.clip(ref, 0, 1), atol=1e-6)
