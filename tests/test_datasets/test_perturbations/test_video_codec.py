# Copyright (c) laanet contributors. All rights reserved.
"""DF1 VC of one image through the real libx264 encoder of
imageio-ffmpeg (whole videos: tests/test_utils/test_media/test_ffmpeg.py)."""
import cv2
import numpy as np
import pytest

from laanet.datasets.perturbations import df1_perturb, h264_round_trip
from laanet.utils.demo_media import astronaut_bgr

# subprocess tools, or ffmpeg: CI runs them (LAANET_ALL_TESTS=1)
pytestmark = pytest.mark.slow

pytest.importorskip('imageio_ffmpeg')


def test_frame_round_trip():
    face = astronaut_bgr()[:255, :301]  # odd sides
    psnrs = []
    for level in range(1, 6):
        out = df1_perturb(face, 'VC', level)
        assert out.shape == face.shape and out.dtype == np.uint8
        psnrs.append(cv2.PSNR(face, out))
    assert all(a > b for a, b in zip(psnrs, psnrs[1:])), psnrs
    again = h264_round_trip(face, 35)
    assert again.tobytes() == df1_perturb(face, 'VC', 3).tobytes()
    with pytest.raises(ValueError, match='one.png.*too small'):
        df1_perturb(face[:1, :1], 'VC', 1, name='one.png')
