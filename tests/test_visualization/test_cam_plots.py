# Copyright (c) laanet contributors. All rights reserved.
"""plot_explanations: one row per face, a heatmap column when any face
has a heatmap."""
import cv2
import numpy as np
import pytest

from laanet.utils.demo_media import astronaut_bgr
from laanet.visualization.cam_plots import plot_explanations


def _row(heatmap=None):
    face = cv2.resize(astronaut_bgr()[:, :, ::-1], (64, 64))
    cam = np.zeros((4, 4), np.float32)
    cam[1, 2] = 1.
    return dict(name='astronaut.png', face=face, score=0.25, cam=cam,
                cam_label='GradCAM, backbone.bn2', heatmap=heatmap)


def test_columns_follow_the_maps(tmp_path):
    path = plot_explanations([_row(), _row()], str(tmp_path / 'a.png'))
    # 2 panels of 240 px per row, 2 rows plus the 40-px margin
    assert cv2.imread(path).shape == (2 * 240 + 40, 2 * 240, 3)
    path = plot_explanations(
        [_row(), _row(np.full((16, 16), .5, np.float32))],
        str(tmp_path / 'b.png'), title='LAA-Net')
    assert cv2.imread(path).shape == (2 * 240 + 40, 3 * 240, 3)


def test_no_face_is_an_error(tmp_path):
    with pytest.raises(ValueError, match='b.png: no face to draw'):
        plot_explanations([], str(tmp_path / 'b.png'))
