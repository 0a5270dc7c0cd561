# Copyright (c) laanet contributors. All rights reserved.
"""A real face for the data tests: the astronaut, with dlib landmarks."""
import numpy as np
import pytest

from laanet.utils.demo_media import astronaut_face_crop


@pytest.fixture(scope='session')
def astronaut_face():
    """A 256×256 BGR face crop of ``skimage.data.astronaut()``.

    Returns:
        tuple[np.ndarray, np.ndarray]: The BGR uint8 crop and its 68 dlib
        landmarks (x, y) in crop coordinates, computed once per session.
    """
    img, lms = astronaut_face_crop()
    img.setflags(write=False)
    lms.setflags(write=False)
    return img, lms


@pytest.fixture
def face_results(astronaut_face):
    """A fresh pipeline result dict holding the astronaut face."""
    img, lms = astronaut_face
    return dict(
        img=img.copy(),
        img_path='astronaut.png',
        img_shape=img.shape[:2],
        ori_shape=img.shape[:2],
        landmarks=np.array(lms, dtype=np.float32),
        video_id='demo/astronaut',
        frame_idx=0,
        label=0,
        manipulation='original',
        dataset_name='demo')
