# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.preprocessing.face_detectors import (DlibHOGFaceDetector,
                                                 DlibLandmarkPredictor,
                                                 align_by_eyes, crop_face,
                                                 select_best_face)
from laanet.utils.demo_media import astronaut_bgr

# slow: dlib on real faces
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def face():
    img = astronaut_bgr()
    box = select_best_face(DlibHOGFaceDetector()(img))
    return crop_face(img, box, margin=1.25, size=256)['img']


def test_68_points_on_the_face(face):
    lms, source = DlibLandmarkPredictor()(face)
    assert source == 'detector'
    assert lms.shape == (68, 2) and lms.dtype == np.float32
    assert lms.min() > 0 and lms.max() < 256
    # Eyes above the mouth, left eye left of the right eye.
    assert lms[36:48, 1].mean() < lms[48:68, 1].mean()
    assert lms[36:42, 0].mean() < lms[42:48, 0].mean()


def test_fallback_to_central_box():
    blank = np.full((256, 256, 3), 90, np.uint8)
    lms, source = DlibLandmarkPredictor()(blank)
    assert source == 'center_box' and lms.shape == (68, 2)
    lms, source = DlibLandmarkPredictor(fallback_margin=None)(blank)
    assert lms is None and source == 'none'


def test_missing_model(tmp_path):
    with pytest.raises(FileNotFoundError, match='x.dat'):
        DlibLandmarkPredictor(model_path=str(tmp_path / 'x.dat'))


def test_align_levels_the_inner_eye_corners(face):
    lms, _ = DlibLandmarkPredictor()(face)
    aligned, alms, angle = align_by_eyes(face, lms)
    assert aligned.shape == face.shape
    assert abs(angle) > 1  # the astronaut's head is tilted
    assert abs(alms[39, 1] - alms[42, 1]) < 1e-3
    # Distances are preserved by the rotation.
    d0 = np.linalg.norm(lms[39] - lms[42])
    d1 = np.linalg.norm(alms[39] - alms[42])
    assert abs(d0 - d1) < 1e-3
    with pytest.raises(ValueError):
        align_by_eyes(face, lms[:20])
