# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.registry import TASK_UTILS
from laanet.utils.demo_media import astronaut_bgr

# slow: the dlib CNN detector
pytestmark = pytest.mark.slow


def test_cnn_finds_the_astronaut():
    det = TASK_UTILS.build(dict(type='DlibCNNFaceDetector', min_side=0))
    boxes = det(astronaut_bgr())
    assert boxes.shape[1] == 5 and len(boxes) >= 1
    x0, y0, x1, y1, score = boxes[0]
    assert 150 < x0 < 200 and 50 < y0 < 110 and 240 < x1 < 290
    assert score > 0
    assert det(np.zeros((64, 64, 3), np.uint8)).shape == (0, 5)


def test_missing_model_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.dat'):
        TASK_UTILS.build(
            dict(type='DlibCNNFaceDetector',
                 model_path=str(tmp_path / 'nope.dat')))
