# Copyright (c) laanet contributors. All rights reserved.
import hashlib
import os.path as osp

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms.functional import (blend_utils,
                                                   face_xray_utils,
                                                   landmark_utils, warp_utils)


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
    nose = np.round(lms[30]).astype(int)
    assert mask[nose[1], nose[0]] == 1
    assert mask[0, 0] == 0 and mask[-1, -1] == 0
    assert mask.dtype == np.float32 and set(np.unique(mask)) == {0., 1.}


@pytest.mark.parametrize('num_points', [68, 81])
@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
def test_hull_masks_equal_official(official_sbi_hulls, num_points,
                                   hull_type):
    # the official random_get_hull: truncated landmarks, integer brow
    # raise, binary facehull (tests/data/official_sbi_hulls.npz)
    lms, hulls = official_sbi_hulls
    ref = hulls[num_points, hull_type]
    assert 0 < ref.mean() < 1
    np.testing.assert_array_equal(
        blend_utils.hull_mask(lms[num_points], ref.shape, hull_type), ref)
    # the landmarks are fractional: rounding them would move the edge
    rounded = blend_utils.hull_mask(
        np.round(lms[num_points]), ref.shape, hull_type)
    assert (rounded != ref).sum() > 100


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


def test_blend_mask_and_blend_match_official_fakestormer():
    # tests/data/fakestormer/official_blend.npz: the official
    # get_blend_mask / dynamic_blend with fixed parameters (README there)
    path = osp.join(osp.dirname(__file__), '..', '..', '..', 'data',
                    'fakestormer', 'official_blend.npz')
    with np.load(path) as z:
        hull, ref = z['hull_mask'], z['blend_mask']
        digest, ref_mean = str(z['blended_sha256']), float(z['blended_mean'])
    mask = blend_utils.blend_mask(
        hull.astype(np.float32), (180, 230), 11, 17, 20.)
    # float32 here, float64 there; the support is identical
    np.testing.assert_allclose(mask, ref, atol=1e-6)
    np.testing.assert_array_equal(mask > 0, ref > 0)
    rs = np.random.RandomState(0)
    src = rs.randint(0, 256, (200, 200, 3)).astype(np.float64)
    tgt = rs.randint(0, 256, (200, 200, 3)).astype(np.float64)
    alpha = 0.75 * ref[..., None]
    official = alpha * src + (1 - alpha) * tgt  # the recipe, checked:
    assert hashlib.sha256(official.tobytes()).hexdigest() == digest
    assert official.mean() == pytest.approx(ref_mean, rel=1e-12)
    # laanet blends uint8 in float32 and truncates, as gen_SBI's astype
    ours = blend_utils.blend(src.astype(np.uint8), tgt.astype(np.uint8),
                             mask, 0.75).astype(int)
    diff = ours - official.astype(np.uint8)
    assert np.abs(diff).max() <= 1 and (diff != 0).mean() < 1e-3
