# Copyright (c) laanet contributors. All rights reserved.
import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import JointColorAug


def _gray():
    return np.full((64, 64, 3), 100, np.uint8)


def _apply(transforms, img, seed=0):
    np.random.seed(seed)
    out = JointColorAug(transforms)(dict(img=img, img_fake=img.copy()))
    np.testing.assert_array_equal(out['img'], out['img_fake'])
    return out['img'].astype(int)


def test_rgb_shift_respects_bgr_order():
    out = _apply([
        dict(type='RGBShift', r_shift_limit=(20, 20), g_shift_limit=(0, 0),
             b_shift_limit=(-10, -10), p=1.)
    ], _gray())
    # pipeline images are BGR: channel 2 is red, channel 0 blue
    assert (out[..., 2] == 120).all() and (out[..., 1] == 100).all()
    assert (out[..., 0] == 90).all()


def test_brightness_and_contrast_amounts():
    out = _apply([
        dict(type='RandomBrightnessContrast', brightness_limit=(0.2, 0.2),
             contrast_limit=(0, 0), p=1.)
    ], _gray())
    assert np.abs(out - (100 + 0.2 * 255)).max() <= 1
    out = _apply([
        dict(type='RandomBrightnessContrast', brightness_limit=(0, 0),
             contrast_limit=(0.5, 0.5), p=1.)
    ], _gray())
    assert np.abs(out - 150).max() <= 1


def test_hue_shift_rotates_hue(astronaut_face):
    img = np.ascontiguousarray(astronaut_face[0])
    out = _apply([
        dict(type='HueSaturationValue', hue_shift_limit=(30, 30),
             sat_shift_limit=(0, 0), val_shift_limit=(0, 0), p=1.)
    ], img).astype(np.uint8)
    hue_in = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[..., 0].astype(int)
    hue_out = cv2.cvtColor(out, cv2.COLOR_BGR2HSV)[..., 0].astype(int)
    sat = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)[..., 1] > 80
    # albumentations shifts uint8 hue in OpenCV units (0..179)
    shift = (hue_out - hue_in) % 180
    assert np.median(shift[sat]) == pytest.approx(30, abs=1)


def test_jpeg_quality_range_is_honoured(astronaut_face):
    img = np.ascontiguousarray(astronaut_face[0])
    out = _apply([
        dict(type='ImageCompression', quality_range=(40, 40), p=1.)
    ], img).astype(np.uint8)
    # albumentations encodes the RGB array as it is (like the official
    # RGB pipeline), so the reference encodes the channel-swapped image
    rgb = np.ascontiguousarray(img[..., ::-1])
    ok, buf = cv2.imencode('.jpg', rgb, [cv2.IMWRITE_JPEG_QUALITY, 40])
    ref = cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1]
    assert np.abs(out.astype(int) - ref).mean() < 1.0
    ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, 100])
    ref100 = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    assert np.abs(out.astype(int) - img).mean() > 2 * np.abs(
        ref100.astype(int) - img).mean()


def test_default_pipeline_is_joint_and_seeded(astronaut_face):
    img = np.ascontiguousarray(astronaut_face[0])
    changed = 0
    for seed in range(10):
        a = _apply(None, img, seed)
        b = _apply(None, img, seed)
        np.testing.assert_array_equal(a, b)
        changed += not np.array_equal(a, img)
    assert changed >= 5


def test_transforms_fire_independently(astronaut_face):
    # albumentations' set_random_seed seeds every child alike, so p=0.3
    # transforms would always fire together with a p=0.5 one
    img = np.ascontiguousarray(astronaut_face[0])
    shift = dict(type='RGBShift', r_shift_limit=(30, 30),
                 g_shift_limit=(30, 30), b_shift_limit=(30, 30), p=0.5)
    jpeg = dict(type='ImageCompression', quality_range=(10, 10), p=0.5)
    aug = JointColorAug([shift, jpeg])
    only_one = 0
    for seed in range(60):
        np.random.seed(seed)
        out = aug(dict(img=img))['img'].astype(int)
        mean_shift = (out - img).mean()
        shifted = mean_shift > 20
        compressed = np.abs(out - img - 30 * shifted).mean() > 1.5
        only_one += shifted != compressed
    assert 10 < only_one < 50


def test_albumentations_1x_names_raise():
    with pytest.raises(ValueError, match='quality_lower'):
        JointColorAug([dict(type='ImageCompression', quality_lower=40)])
    with pytest.raises(ValueError, match='no transform'):
        JointColorAug([dict(type='NoSuchTransform')])
    assert 'ImageCompression' in repr(JointColorAug())
