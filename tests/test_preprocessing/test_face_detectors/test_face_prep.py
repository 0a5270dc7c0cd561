# Copyright (c) laanet contributors. All rights reserved.
"""Extraction and inference crop the same face identically."""
import json

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from laanet.preprocessing.face_detectors import FACE_PREP_CFG, select_best_face
from laanet.testing import get_detector_cfg, load_tool
from laanet.testing.media import still_video
from laanet.utils.demo_media import astronaut_bgr

# slow: runs extract_faces.py and the inferencer
pytestmark = pytest.mark.slow


def test_extraction_defaults_are_the_face_prep_settings():
    args = load_tool('tools/dataset_converters/extract_faces.py').parse_args(
        ['--dataset', 'generic', '--out-dir', 'x'])
    assert args.margin == FACE_PREP_CFG['margin']
    assert args.size == FACE_PREP_CFG['size']
    assert args.det_min_side == FACE_PREP_CFG['detector']['min_side']
    assert args.det_max_side == FACE_PREP_CFG['detector']['max_side']
    # SBI's test crop assumes the extraction margin (datasets may not
    # import preprocessing, so the transform keeps its own copy)
    from laanet.datasets.transforms.face_box_crop import EXTRACTION_MARGIN
    assert EXTRACTION_MARGIN == FACE_PREP_CFG['margin']


def test_extraction_and_inference_crop_the_same_face(tmp_path):
    pytest.importorskip('dlib')
    from laanet.apis import DeepfakeInferencer
    videos = tmp_path / 'videos'
    videos.mkdir()
    # a small frame: both sides upsample it for detection (min_side)
    face = cv2.resize(astronaut_bgr(), (256, 256))
    video = still_video(str(videos / 'clip.avi'), face, num_frames=3)
    out = tmp_path / 'frames'
    load_tool('tools/dataset_converters/extract_faces.py').main([
        '--dataset', 'generic', '--video-dir', str(videos), '--label',
        'real', '--out-dir', str(out), '--num-frames', '2', '--no-progress'
    ])
    with open(out / 'clip' / 'meta.json') as f:
        records = json.load(f)['frames']
    assert records

    inferencer = DeepfakeInferencer(
        Config(
            dict(
                default_scope='laanet',
                model=get_detector_cfg('b0'),
                test_pipeline=[
                    dict(type='CenterCropLetterbox', margin=5, scale=64),
                    dict(type='PackDeepfakeInputs', pair=False)
                ])),
        device='cpu',
        show_progress=False)
    media = inferencer.preprocess(video, num_frames=2)
    for index, frame in zip(media['indices'], media['frames']):
        (rec, ) = [r for r in records if r['frame_idx'] == index]
        extracted = cv2.imread(str(out / 'clip' / rec['img']))
        (boxes, ) = inferencer.detect([frame])
        best = select_best_face(boxes)
        np.testing.assert_allclose(best[:4], rec['box'], atol=0.01)
        crops = inferencer.crop_faces(frame, best[None])
        np.testing.assert_array_equal(crops[0], extracted)
