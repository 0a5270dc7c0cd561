# Copyright (c) laanet contributors. All rights reserved.
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import cv2
import numpy as np

import pytest

from laanet.preprocessing.face_detectors import DlibHOGFaceDetector
from laanet.utils.media import sample_frame_indices

# slow: dlib extraction of real videos, killed runs
pytestmark = pytest.mark.slow

REPO = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
VOLATILE = ('time_s', 'frames_per_s', 'frames_processed_now',
            'videos_skipped', 'workers', 'out_dir')


def _tree(root):
    """Every file under root (relative path -> bytes), report excluded."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            rel = os.path.relpath(p, root)
            if rel != 'extract_report.json':
                out[rel] = open(p, 'rb').read()
    return out


def _stable(report):
    return {k: v for k, v in report.items() if k not in VOLATILE}


def test_report_names_every_bad_input(extracted):
    rep = extracted['report']
    assert rep['videos_total'] == 7 and rep['videos_done'] == 5
    bad = {u['video_id']: u['error'] for u in rep['unreadable_videos']}
    assert set(bad) == {'zero', 'corrupt'}
    assert 'zero.mp4' in bad['zero']
    assert rep['frame_count_mismatch'] == ['lying']
    assert rep['videos_without_face'] == ['noface']
    assert {'noface/0', 'noface/1', 'noface/2'} <= set(
        rep['frames_without_face'])
    assert rep['short_videos'] == ['astronaut', 'noface', 't1']
    on_disk = json.load(open(extracted['out'] / 'extract_report.json'))
    assert on_disk['unreadable_videos'] == rep['unreadable_videos']


def test_frame_counts_and_names(extracted):
    out = extracted['out']
    meta = json.load(open(out / 'carphone' / 'meta.json'))
    assert meta['sampled_indices'] == sample_frame_indices(
        120, extracted['num_frames'])
    # The low-resolution face is found in every sampled frame.
    assert meta['no_face_frames'] == []
    pngs = sorted(p for p in os.listdir(out / 'carphone')
                  if p.endswith('.png'))
    assert pngs == [f'{i:03d}.png' for i in meta['sampled_indices']]
    assert cv2.imread(str(out / 'carphone' / pngs[0])).shape == (128, 128, 3)
    astro = json.load(open(out / 'astronaut' / 'meta.json'))
    assert astro['sampled_indices'] == [0, 1, 2, 3]
    assert meta['label'] == 1 and meta['video_id'] == 'carphone'
    # Nothing temporary is left behind.
    assert not [f for _, _, fs in os.walk(out) for f in fs if '.tmp' in f]


def test_best_face_is_the_largest(extracted):
    meta = json.load(open(extracted['out'] / 't1' / 'meta.json'))
    boxes = DlibHOGFaceDetector()(_first_frame(extracted['vdir'] / 't1.avi'))
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    chosen = np.array(meta['frames'][0]['box'])
    best = boxes[int(np.argmax(areas))][:4]
    assert np.abs(chosen - best).max() < 1
    # The crop shows a face again.
    crop = cv2.imread(str(extracted['out'] / 't1' / meta['frames'][0]['img']))
    assert len(DlibHOGFaceDetector()(crop)) >= 1


def _first_frame(path):
    cap = cv2.VideoCapture(str(path))
    ok, f = cap.read()
    cap.release()
    assert ok
    return f


def test_resume_after_partial_state(extracted, extract_fn, tmp_path):
    out = tmp_path / 'frames'
    shutil.copytree(extracted['out'], out)
    # Simulate a run killed in the middle of 'carphone': no meta.json, a
    # stale PNG with wrong content, a temporary file; and a video never
    # started.
    os.remove(out / 'carphone' / 'meta.json')
    cv2.imwrite(str(out / 'carphone' / '000.png'),
                np.zeros((5, 5, 3), np.uint8))
    (out / 'carphone' / '.017.png.abc.png.tmp').write_bytes(b'partial')
    shutil.rmtree(out / 'astronaut')
    rep = extract_fn(extracted['vdir'], out, workers=1)
    assert rep['videos_skipped'] == 3
    assert _tree(out) == _tree(extracted['out'])
    assert _stable(rep) == _stable(extracted['report'])


def test_killed_run_then_rerun_matches(extracted, tmp_path):
    out = tmp_path / 'frames'
    cmd = [
        sys.executable,
        os.path.join(REPO, 'tools/dataset_converters/extract_faces.py'),
        '--dataset', 'generic', '--video-dir',
        str(extracted['vdir']), '--label', 'fake', '--out-dir',
        str(out), '--num-frames',
        str(extracted['num_frames']), '--size', '128', '--no-progress'
    ]
    env = dict(os.environ, PYTHONPATH=REPO)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    # Kill it as soon as the first video is finished (or it ends).
    while proc.poll() is None and not list(out.glob('*/meta.json')):
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    assert _tree(out) == _tree(extracted['out'])
    rep = json.load(open(out / 'extract_report.json'))
    assert _stable(rep) == _stable(extracted['report'])


def test_pre_cropped_image_sequences(tmp_path):
    """DFW ships face crops as image folders: sampled, squared, resized."""
    from laanet.preprocessing import dfw_videos, run_extraction
    from laanet.utils.demo_media import astronaut_bgr
    face = astronaut_bgr()[60:200, 160:280]  # 140x120 face crop
    seq = tmp_path / 'dfw' / 'fake_test' / 'v1' / 'fake' / '0'
    seq.mkdir(parents=True)
    for i in range(5):
        cv2.imwrite(str(seq / f'{i}.png'), face)
    (tmp_path / 'dfw' / 'real_test').mkdir()
    items = dfw_videos(str(tmp_path / 'dfw'))
    assert [it.video_id for it in items] == ['fake_test/v1/fake/0']
    rep = run_extraction(items, str(tmp_path / 'out'),
                         dict(type='DlibHOGFaceDetector'), num_frames=3,
                         size=64, progress=False)
    assert rep['frames_written'] == 3
    meta = json.load(open(tmp_path / 'out/fake_test/v1/fake/0/meta.json'))
    assert meta['pre_cropped'] and meta['crop_margin'] == 1.
    assert meta['sampled_indices'] == [0, 2, 4] and meta['label'] == 1
    out = cv2.imread(str(tmp_path / 'out/fake_test/v1/fake/0/002.png'))
    assert out.shape == (64, 64, 3)
    # Squared by padding the 120-px width: black columns at both sides.
    assert out[:, 0].max() < 10 and out[:, -1].max() < 10
    assert out[:, 32].min() > 0
