# Copyright (c) laanet contributors. All rights reserved.
"""Image reading and the one BGR-uint8 policy (inference, perturbations)."""
import cv2
import numpy as np
import pytest
from PIL import Image

from laanet.utils.media import MediaReadError, read_image, to_bgr_uint8


@pytest.fixture
def bgr():
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)


def test_read_image_modes(tmp_path, bgr):
    rgb = bgr[..., ::-1]
    # 8-bit colour round trip (PNG is lossless): BGR out.
    Image.fromarray(rgb).save(tmp_path / 'c.png')
    np.testing.assert_array_equal(read_image(str(tmp_path / 'c.png')), bgr)
    # grayscale -> three equal channels
    gray = bgr[..., 0]
    Image.fromarray(gray).save(tmp_path / 'g.png')
    out = read_image(str(tmp_path / 'g.png'))
    assert out.shape == (20, 30, 3) and out.dtype == np.uint8
    np.testing.assert_array_equal(out[..., 0], gray)
    np.testing.assert_array_equal(out[..., 2], gray)
    # RGBA: alpha dropped, colours kept
    rgba = np.dstack([rgb, np.full((20, 30), 7, np.uint8)])
    Image.fromarray(rgba, 'RGBA').save(tmp_path / 'a.png')
    np.testing.assert_array_equal(read_image(str(tmp_path / 'a.png')), bgr)
    # 16-bit grayscale: scaled to 8 bits
    g16 = gray.astype(np.uint16) * 257
    assert cv2.imwrite(str(tmp_path / 'g16.png'), g16)
    out = read_image(str(tmp_path / 'g16.png'))
    np.testing.assert_array_equal(out[..., 1], gray)
    # 16-bit colour (written by OpenCV, BGR order)
    c16 = bgr.astype(np.uint16) * 257
    assert cv2.imwrite(str(tmp_path / 'c16.png'), c16)
    out = read_image(str(tmp_path / 'c16.png'))
    assert out.dtype == np.uint8 and out.shape == (20, 30, 3)
    assert np.abs(out.astype(int) - bgr).max() <= 1
    # palette image
    Image.fromarray(rgb).convert('P').save(tmp_path / 'p.png')
    assert read_image(str(tmp_path / 'p.png')).shape == (20, 30, 3)


def test_read_image_exif_orientation(tmp_path, bgr):
    im = Image.fromarray(bgr[..., ::-1])
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise when displayed
    im.save(tmp_path / 'r.jpg', exif=exif, quality=100)
    assert read_image(str(tmp_path / 'r.jpg')).shape == (30, 20, 3)


def test_read_image_errors(tmp_path):
    (tmp_path / 'empty.jpg').write_bytes(b'')
    with pytest.raises(MediaReadError, match=r'empty\.jpg: empty file'):
        read_image(str(tmp_path / 'empty.jpg'))
    (tmp_path / 'bad.jpg').write_bytes(b'not a jpeg at all' * 10)
    with pytest.raises(
            MediaReadError, match=r'bad\.jpg: cannot be read as an image'):
        read_image(str(tmp_path / 'bad.jpg'))
    big = np.zeros((40, 50, 3), np.uint8)
    cv2.imwrite(str(tmp_path / 'big.png'), big)
    with pytest.raises(MediaReadError, match=r'big\.png: image too large'):
        read_image(str(tmp_path / 'big.png'), max_pixels=1000)


def test_to_bgr_uint8(bgr):
    out = to_bgr_uint8(bgr[..., :1])
    assert out.shape == (20, 30, 3)
    f = to_bgr_uint8(np.full((4, 4), 0.5, np.float32))
    assert f.dtype == np.uint8 and (f == 128).all()
    with pytest.raises(MediaReadError, match='unsupported image shape'):
        to_bgr_uint8(np.zeros((4, 4, 2), np.uint8))


def test_to_bgr_uint8_policy(bgr):
    """The one policy: 8-bit BGR passes through, known ranges are scaled,
    an ambiguous float image is refused with the file named."""
    assert to_bgr_uint8(bgr) is bgr
    np.testing.assert_array_equal(to_bgr_uint8(bgr.astype(np.uint16) * 257),
                                  bgr)
    bgra = np.dstack([bgr, np.zeros((20, 30), np.uint8)])
    np.testing.assert_array_equal(to_bgr_uint8(bgra), bgr)
    mask = to_bgr_uint8(np.eye(3, dtype=bool))
    assert mask[0, 0].tolist() == [255] * 3 and mask[0, 1].tolist() == [0] * 3
    with pytest.raises(MediaReadError, match=r'f\.png: a float image'):
        to_bgr_uint8(bgr.astype(np.float32), 'f.png')
    with pytest.raises(MediaReadError, match='unsupported image dtype'):
        to_bgr_uint8(bgr.astype(np.complex64))
    with pytest.raises(TypeError, match='x.png: expected a numpy image'):
        to_bgr_uint8([[0]], 'x.png')
