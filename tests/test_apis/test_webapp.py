# Copyright (c) laanet contributors. All rights reserved.
"""What the web app shows: verdicts and captions (pure), and one scored
upload against the CLI's JSON (slow: dlib on real media)."""
import json
import os.path as osp
import sys

import cv2
import numpy as np
import pytest

from laanet.apis import DeepfakeInferencer
from laanet.apis.webapp import (overlay_captions, score_for_app,
                                verdict_markdown)
from laanet.utils.demo_media import astronaut_bgr, carphone_video

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _result(**kw):
    result = dict(
        file='/uploads/x/clip.mp4',
        type='video',
        score=0.87314,
        label='fake',
        threshold=0.5,
        frames=[
            dict(
                index=0,
                score=0.9,
                faces=[
                    dict(box=[0, 0, 9, 9], score=0.9, ignored=False),
                    dict(box=[0, 0, 2, 2], score=0.95, ignored=True)
                ]),
            dict(index=12, score=None, faces=[])
        ],
        no_face_frames=[12],
        num_frames=2,
        reason=None,
        error=None,
        warnings=['clip.mp4: the container over-states its frame count'])
    result.update(kw)
    return result


def test_verdict_of_a_scored_input():
    text = verdict_markdown(_result())
    assert text.startswith('**P(fake) = 0.8731 → fake** (threshold 0.5)')
    assert 'for clip.mp4: 2 frame(s), 2 face(s), 1 frame(s) without' in text
    assert 'Warning: clip.mp4: the container over-states' in text
    assert '/uploads/' not in text


def test_verdict_of_no_face_and_of_an_error():
    text = verdict_markdown(
        _result(score=None, label=None, reason='no face found in the image'))
    assert text == ('**No score** for clip.mp4: no face found in the image '
                    '(threshold 0.5).')
    text = verdict_markdown(
        _result(score=None, error='/uploads/x/clip.mp4: cannot be read'))
    assert text == ('**Error** (clip.mp4): /uploads/x/clip.mp4: cannot be '
                    'read')


def test_overlay_captions_follow_frames_then_faces():
    assert overlay_captions(_result()) == [
        'frame 0, face 0: P(fake) 0.900',
        'frame 0, face 1: P(fake) 0.950 (ignored)'
    ]


@pytest.fixture(scope='module')
def inferencer(inference_files):
    cfg_file, ckpt = inference_files
    return DeepfakeInferencer(
        cfg_file, ckpt, num_frames=8, show_progress=False)


@pytest.mark.slow
def test_a_video_upload_gives_the_cli_json(inferencer, inference_files,
                                           tmp_path):
    sys.path.insert(0, osp.join(REPO, 'demo'))
    try:
        import video_demo
    finally:
        sys.path.pop(0)
    cfg_file, ckpt = inference_files
    path = carphone_video()
    cli_dir = tmp_path / 'cli'
    assert video_demo.main([
        path, cfg_file, '--checkpoint', ckpt, '--out-dir',
        str(cli_dir), '--num-frames', '8', '--no-progress'
    ]) == 0
    work = tmp_path / 'app'
    work.mkdir()
    stages = []
    out = score_for_app(inferencer, path, str(work),
                        lambda s, d, t: stages.append(s))
    with open(out['json']) as f, open(cli_dir /
                                      'carphone_pristine.json') as g:
        assert json.load(f) == json.load(g) == out['result']
    assert out['verdict'] == verdict_markdown(out['result'])
    assert set(stages) == {'frames'}  # the one progress vocabulary
    num_faces = sum(len(fr['faces']) for fr in out['result']['frames'])
    assert num_faces == len(out['overlays']) > 0
    for file, caption in out['overlays']:
        assert cv2.imread(file).shape == (64, 64, 3)
        assert caption.startswith('frame ')
    assert cv2.imread(out['plot']).shape == (500, 800, 3)
    cap = cv2.VideoCapture(out['video'])
    fourcc = int(cap.get(cv2.CAP_PROP_FOURCC))
    frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    cap.release()
    codec = fourcc.to_bytes(4, 'little').decode()
    assert codec in ('avc1', 'h264', 'H264'), codec
    assert frames == 8


@pytest.mark.slow
def test_bad_uploads_give_messages(inferencer, tmp_path, monkeypatch):
    src = tmp_path / 'in'
    src.mkdir()
    (src / 'notes.txt').write_text('not media')
    (src / 'empty.mp4').write_bytes(b'')
    (src / 'broken.mp4').write_bytes(b'\x00\x00\x00\x18ftypmp42 garbage')
    cv2.imwrite(str(src / 'blank.png'), np.full((200, 200, 3), 127,
                                                np.uint8))
    cv2.imwrite(str(src / 'huge.png'), astronaut_bgr())
    expected = {
        'notes.txt': '**Error** (notes.txt): ',
        'empty.mp4': '**Error** (empty.mp4): ',
        'broken.mp4': '**Error** (broken.mp4): ',
        'blank.png': '**No score** for blank.png: no face found',
        'huge.png': '**Error** (huge.png): ',
    }
    monkeypatch.setattr(inferencer, 'max_pixels', 512 * 512 - 1)
    for name, start in expected.items():
        work = tmp_path / name.replace('.', '_')
        work.mkdir()
        out = score_for_app(inferencer, str(src / name), str(work))
        assert out['verdict'].startswith(start), out['verdict']
        assert out['plot'] is None and out['video'] is None
        assert out['overlays'] == []
        with open(out['json']) as f:
            assert json.load(f) == out['result']
    assert 'not an image or a video' in verdict_markdown(
        score_for_app(inferencer, str(src / 'notes.txt'),
                      str(tmp_path))['result'])
    huge = score_for_app(inferencer, str(src / 'huge.png'), str(tmp_path))
    assert 'image too large (512x512' in huge['verdict']
