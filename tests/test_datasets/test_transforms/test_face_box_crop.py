# Copyright (c) laanet contributors. All rights reserved.
"""FaceBoxCrop: SBI's crop_face(crop_by_bbox=True) geometry."""
import numpy as np
import pytest

from laanet.datasets.transforms import FaceBoxCrop, SelfBlend


def sbi_window(box, margins, shape):
    """SBI's rounding, written out as its crop_face does it."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    w0, w1, h0, h1 = (m * 4 for m in margins)  # SBI: w/4 * factor
    H, W = shape
    return (max(0, int(x0 - w / 4 * w0)), max(0, int(y0 - h / 4 * h0)),
            min(W, int(x1 + w / 4 * w1) + 1), min(H, int(y1 + h / 4 * h1) + 1))


def results_with(img, box=None):
    res = dict(img=img, img_shape=img.shape[:2], img_path='face.png')
    if box is not None:
        res['face_box'] = list(box)
    return res


def test_test_crop_is_the_box_grown_by_an_eighth_and_resized():
    img = np.arange(300 * 400 * 3, dtype=np.uint8).reshape(300, 400, 3)
    box = (101.3, 52.7, 251.9, 232.2)
    out = FaceBoxCrop(size=(380, 380), side_margin=0.125)(
        results_with(img.copy(), box))
    x0, y0, x1, y1 = sbi_window(box, [0.125] * 4, img.shape[:2])
    import cv2
    want = cv2.resize(img[y0:y1, x0:x1], (380, 380),
                      interpolation=cv2.INTER_LINEAR)
    assert out['img'].shape == (380, 380, 3)
    assert out['img_shape'] == (380, 380)
    np.testing.assert_array_equal(out['img'], want)


def test_the_window_is_clipped_at_the_image_border():
    img = np.zeros((100, 100, 3), np.uint8)
    t = FaceBoxCrop(side_margin=0.125)
    assert t.window((2., 3., 98., 99.), [0.125] * 4, (100, 100)) == \
        sbi_window((2., 3., 98., 99.), [0.125] * 4, (100, 100)) == \
        (0, 0, 100, 100)
    out = t(results_with(img, (2., 3., 98., 99.)))
    assert out['img'].shape == (380, 380, 3)


def test_training_margins_are_drawn_per_side_in_sbi_range():
    t = FaceBoxCrop(side_margin=(0.05, 0.2))
    np.random.seed(0)
    draws = np.array([t._side_margins() for _ in range(2000)])
    assert draws.shape == (2000, 4)
    assert draws.min() >= 0.05 and draws.max() < 0.2
    # four independent sides, uniform: mean 0.125, no correlation
    assert abs(draws.mean() - 0.125) < 0.003
    assert abs(np.corrcoef(draws.T)[0, 1]) < 0.1


def test_pair_views_and_masks_share_one_window():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (200, 200, 3), dtype=np.uint8)
    fake = rng.integers(0, 256, (200, 200, 3), dtype=np.uint8)
    res = dict(
        results_with(img, (40, 40, 160, 170)),
        img_fake=fake,
        boundary_map_fake=np.full((200, 200), 7, np.uint8),
        landmarks=np.array([[40., 40.], [160., 170.]], np.float32))
    np.random.seed(3)
    out = FaceBoxCrop(side_margin=(0.05, 0.2))(res)
    np.random.seed(3)
    margins = 0.05 + np.random.rand(4) * 0.15  # SBI's 4 draws, in order
    x0, y0, x1, y1 = sbi_window((40, 40, 160, 170), margins, (200, 200))
    import cv2
    for key, src in (('img', img), ('img_fake', fake)):
        np.testing.assert_array_equal(
            out[key], cv2.resize(src[y0:y1, x0:x1], (380, 380)))
    assert out['boundary_map_fake'].shape == (380, 380)
    assert (out['boundary_map_fake'] == 7).all()
    # the landmarks and the box follow the crop
    sx, sy = 380 / (x1 - x0), 380 / (y1 - y0)
    np.testing.assert_allclose(out['landmarks'][0],
                               [(40 - x0) * sx, (40 - y0) * sy], rtol=1e-5)
    np.testing.assert_allclose(out['face_box'][2:],
                               [(160 - x0) * sx, (170 - y0) * sy], rtol=1e-5)


def test_without_face_box_the_extraction_margin_places_it():
    """laanet's crops are 1.25 x the box: the test crop is the whole crop."""
    img = np.random.default_rng(0).integers(0, 256, (256, 256, 3), np.uint8)
    t = FaceBoxCrop(size=(256, 256), side_margin=0.125)
    np.testing.assert_allclose(
        t.face_box(results_with(img)), [25.6, 25.6, 230.4, 230.4])
    out = t(results_with(img.copy()))
    np.testing.assert_array_equal(out['img'], img)


@pytest.mark.parametrize('box', [(10, 10, 5, 50), (0, 0, np.nan, 9)])
def test_a_bad_face_box_names_the_file(box):
    img = np.zeros((64, 64, 3), np.uint8)
    with pytest.raises(ValueError, match='face.png'):
        FaceBoxCrop()(results_with(img, box))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match='side_margin'):
        FaceBoxCrop(side_margin=(0.3, 0.1))
    with pytest.raises(ValueError, match='side_margin'):
        FaceBoxCrop(side_margin=-0.1)
    with pytest.raises(ValueError, match='crop_margin'):
        FaceBoxCrop(crop_margin=0.5)


def test_self_blend_flips_and_shifts_the_face_box(face_results):
    w = face_results['img'].shape[1]
    face_results['face_box'] = [30., 40., 200., 220.]
    out = SelfBlend(hflip_prob=1., margin_range=(7, 8))(face_results)
    assert out['flip']
    np.testing.assert_allclose(out['face_box'],
                               [w - 200. - 7, 40. - 7, w - 30. - 7, 220. - 7])
