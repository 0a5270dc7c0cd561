# Copyright (c) laanet contributors. All rights reserved.
"""tools/analysis_tools/explain_faces.py and the demos' --cam on the
astronaut (dlib detection and SBI's classifier shrunk to B0 at 128 px)."""
import json
import os.path as osp

import cv2
import pytest

from laanet.testing import load_tool
from laanet.utils.demo_media import astronaut_bgr

# slow: dlib face detection on the whole image
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SBI_CFG = osp.join(REPO, 'tests', 'data', 'sbi_demo_config.py')


@pytest.fixture(scope='module')
def astronaut_png(tmp_path_factory):
    path = str(tmp_path_factory.mktemp('media') / 'astronaut.png')
    cv2.imwrite(path, astronaut_bgr())
    return path


def test_explain_faces_draws_the_figure(astronaut_png, tmp_path, capsys):
    tool = load_tool('tools/analysis_tools/explain_faces.py')
    out = str(tmp_path / 'explain.png')
    assert tool.main([SBI_CFG, astronaut_png, '--out', out, '--tta']) == 0
    # one face, SBI has no heatmap: input | CAM, 240 px each
    assert cv2.imread(out).shape == (240 + 40, 2 * 240, 3)
    assert 'GradCAM on backbone.bn2' in capsys.readouterr().out
    with pytest.raises(ValueError, match="'backbone.nope' is not a layer"):
        tool.main([SBI_CFG, astronaut_png, '--out', out, '--cam-layer',
                   'backbone.nope'])


def test_image_demo_writes_the_cam_overlay(astronaut_png, tmp_path, capsys):
    demo = load_tool('demo/image_demo.py')
    out_dir = tmp_path / 'out'
    assert demo.main([astronaut_png, SBI_CFG, '--out-dir', str(out_dir),
                      '--cam-layer', 'backbone.conv_head',
                      '--no-progress']) == 0
    cam = out_dir / 'astronaut' / 'frame00000_face0_cam.jpg'
    assert cv2.imread(str(cam)).shape == (128, 128, 3)
    with open(out_dir / 'astronaut.json') as f:
        explanation = json.load(f)['explanation']
    assert explanation['target_layer'] == 'backbone.conv_head'
    assert explanation['overlays'] == ['astronaut/frame00000_face0_cam.jpg']
    assert demo.main([astronaut_png, SBI_CFG, '--cam', '--no-heatmaps']) == 1
    assert 'drop --no-heatmaps' in capsys.readouterr().err
