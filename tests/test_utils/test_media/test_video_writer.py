# Copyright (c) laanet contributors. All rights reserved.
"""The one OpenCV video writer: readable files, nothing partial left."""
import numpy as np
import pytest

from laanet.utils.demo_media import astronaut_bgr
from laanet.utils.media import read_sampled_frames, write_video


@pytest.mark.parametrize('name,fourcc', [('v.mp4', 'mp4v'),
                                         ('v.avi', 'MJPG')])
def test_round_trip(tmp_path, name, fourcc):
    face = astronaut_bgr()[100:164, 180:260]
    frames = [np.roll(face, i, axis=1) for i in range(5)]
    path = str(tmp_path / 'sub' / name)
    assert write_video(path, frames, 10., fourcc) == path
    read = read_sampled_frames(path, 5)
    assert read.indices == list(range(5)) and read.fps == 10.
    assert read.frames[0].shape == face.shape
    assert [p.name for p in (tmp_path / 'sub').iterdir()] == [name]


def test_errors_name_the_file(tmp_path):
    frame = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(ValueError, match='e.mp4: no frame'):
        write_video(str(tmp_path / 'e.mp4'), [], 25.)
    with pytest.raises(ValueError, match='z.mp4: the frame rate'):
        write_video(str(tmp_path / 'z.mp4'), [frame], 0)
    with pytest.raises(RuntimeError, match='x.mp4.*codec NOPE'):
        write_video(str(tmp_path / 'x.mp4'), [frame], 25., 'NOPE')
    assert not list(tmp_path.iterdir())
