# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.registry import TRANSFORMS


def build(**kw):
    return TRANSFORMS.build(dict(type='CenterCropLetterbox', **kw))


def test_official_test_geometry():
    img = np.zeros((256, 256, 3), np.uint8)
    img[5:251, 5:251] = 200  # the part that survives the 5 px crop
    img[100:110, 30:40] = 50
    t = build(margin=5, scale=384)
    lms = np.array([[5., 5.], [250., 250.], [35., 105.]])
    out = t(dict(img=img.copy(), landmarks=lms))
    assert out['img'].shape == (384, 384, 3)
    assert out['img_shape'] == (384, 384)
    # The 246 px crop fills the output edge to edge: the official geometry
    # is corner-aligned, pixel 0 -> 0 and 245 -> 383.
    assert out['img'][192].min() == 200
    s = 383 / 245
    # Landmarks follow: the crop's pixel (x - 5) maps to s * (x - 5).
    exp = (lms - 5) * s
    assert np.allclose(out['landmarks'], exp, atol=1e-4)
    x, y = np.round(out['landmarks'][2]).astype(int)
    assert out['img'][y, x, 0] == 50
    assert 'CenterCropLetterbox' in repr(t)


def test_letterbox_keeps_aspect_ratio():
    img = np.full((100, 200, 3), 255, np.uint8)
    out = build(margin=0, scale=(64, 64))(dict(img=img))['img']
    # 200x100 becomes 64x32, centred, black above and below.
    assert out[0].max() == 0 and out[-1].max() == 0
    assert out[32, 1:63].min() == 255
    rows = np.nonzero(out[:, 32, 0])[0]
    assert 30 <= len(rows) <= 34


def test_bad_arguments():
    with pytest.raises(ValueError):
        build(margin=-1)
    with pytest.raises(ValueError):
        build(interpolation='cubic')
    with pytest.raises(ValueError, match='nothing'):
        build(margin=10)(dict(img=np.zeros((16, 16, 3), np.uint8)))
