# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.preprocessing.face_detectors import (DlibHOGFaceDetector,
                                                 crop_face, margin_crop_window,
                                                 select_best_face)
from laanet.utils.demo_media import astronaut_bgr


def test_select_best_face_area_then_score():
    boxes = np.array([[0, 0, 10, 10, 0.9], [0, 0, 20, 20, 0.1],
                      [5, 5, 25, 25, 0.5]], np.float32)
    assert np.array_equal(select_best_face(boxes), boxes[2])
    assert select_best_face(np.zeros((0, 5))) is None


def test_window_is_square_with_margin_and_inside():
    win = margin_crop_window(np.array([100, 100, 140, 120]), (480, 640),
                             margin=1.5)
    x0, y0, x1, y1 = win
    assert x1 - x0 == y1 - y0 == 60
    assert (x0 + x1) / 2 == 120 and (y0 + y1) / 2 == 110
    # Near the border the window shifts inside instead of padding.
    x0, y0, x1, y1 = margin_crop_window(np.array([0, 0, 40, 40]), (480, 640))
    assert (x0, y0) == (0, 0) and x1 - x0 == 50
    with pytest.raises(ValueError):
        margin_crop_window(np.array([0, 0, 4, 4]), (10, 10), margin=0)


def test_small_image_is_zero_padded():
    img = np.full((20, 20, 3), 200, np.uint8)
    out = crop_face(img, np.array([0, 0, 20, 20]), margin=2., size=None)
    assert out['img'].shape == (40, 40, 3)
    assert out['img'][0, 0].sum() == 0 and out['img'][20, 20, 0] == 200


def test_crop_contains_the_detected_face():
    img = astronaut_bgr()
    det = DlibHOGFaceDetector()
    box = select_best_face(det(img))
    mask = np.zeros(img.shape[:2], np.uint8)
    mask[int(box[1]):int(box[3]), int(box[0]):int(box[2])] = 255
    out = crop_face(img, box, margin=1.25, size=256, mask=mask)
    assert out['img'].shape == (256, 256, 3)
    fx0, fy0, fx1, fy1 = out['box']
    # The face box sits in the centre, 1/1.25 of the crop.
    assert fx0 >= 0 and fy0 >= 0 and fx1 <= 256 and fy1 <= 256
    assert abs((fx1 - fx0) - 256 / 1.25) < 3
    # The mask went through the same window.
    ys, xs = np.nonzero(out['mask'])
    assert abs(xs.min() - fx0) <= 2 and abs(ys.max() - fy1) <= 2
    # And the detector finds the face again in the crop, where expected.
    again = select_best_face(det(out['img']))
    assert again is not None
    cx, cy = (again[0] + again[2]) / 2, (again[1] + again[3]) / 2
    assert abs(cx - 128) < 20 and abs(cy - 128) < 20
