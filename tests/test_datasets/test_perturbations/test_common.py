# Copyright (c) laanet contributors. All rights reserved.
"""The common image-level degradations on a real face."""
import cv2
import numpy as np
import pytest

from laanet.datasets.perturbations import COMMON_PARAMS, degrade
from laanet.utils.demo_media import astronaut_bgr

LEVELS = [1, 2, 3, 4, 5]


@pytest.fixture(scope='module')
def face():
    return astronaut_bgr()


def test_jpeg_quality_is_a_real_jpeg(face):
    sizes, psnrs = [], []
    for level in LEVELS:
        q = COMMON_PARAMS['jpeg_quality'][level - 1]
        out = degrade(face, 'jpeg_quality', level)
        ok, buf = cv2.imencode('.jpg', face, [cv2.IMWRITE_JPEG_QUALITY, q])
        assert np.array_equal(out, cv2.imdecode(buf, cv2.IMREAD_COLOR))
        sizes.append(buf.size)
        psnrs.append(cv2.PSNR(face, out))
    assert sizes == sorted(sizes, reverse=True)
    assert psnrs == sorted(psnrs, reverse=True)


@pytest.mark.parametrize('level', LEVELS)
def test_blur_sigma(face, level):
    sigma = COMMON_PARAMS['blur'][level - 1]
    out = degrade(face, 'blur', level)
    k = 2 * int(np.ceil(3 * sigma)) + 1
    assert np.array_equal(out, cv2.GaussianBlur(face, (k, k), sigma))
    # a blurred line has the requested spread
    imp = np.zeros((61, 61, 3), np.uint8)
    imp[:, 30] = 255
    resp = degrade(imp, 'blur', level)[30, :, 0].astype(float)
    x = np.arange(61) - 30
    assert np.sqrt((resp * x**2).sum() / resp.sum()) == pytest.approx(
        sigma, rel=0.05)
    assert out.shape == face.shape


@pytest.mark.parametrize('level', LEVELS)
def test_resize_keeps_size_loses_detail(face, level):
    out = degrade(face, 'resize', level)
    assert out.shape == face.shape
    s = COMMON_PARAMS['resize'][level - 1]
    small = cv2.resize(face, (round(512 * s), round(512 * s)),
                       interpolation=cv2.INTER_AREA)
    assert np.array_equal(
        out, cv2.resize(small, (512, 512), interpolation=cv2.INTER_LINEAR))


@pytest.mark.parametrize('level', LEVELS)
def test_noise_sigma(face, level):
    sigma = COMMON_PARAMS['noise'][level - 1]
    out = degrade(face, 'noise', level, seed=1)
    mid = ((face > 80) & (face < 175))
    d = out.astype(float)[mid] - face[mid]
    assert d.std() == pytest.approx(sigma, rel=0.05)
    assert out.tobytes() == degrade(face, 'noise', level, seed=1).tobytes()


def test_errors(face):
    with pytest.raises(ValueError, match='DF1Perturbation'):
        degrade(face, 'JPEG', 1)
    with pytest.raises(ValueError, match='x.png.*resized'):
        degrade(face[:3, :3], 'resize', 5, name='x.png')
    with pytest.raises(ValueError, match='f32.png: a float image'):
        degrade(face.astype(np.float32), 'blur', 1, name='f32.png')
