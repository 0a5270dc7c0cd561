# Copyright (c) laanet contributors. All rights reserved.
"""Test-video factories: drifting and truncated small videos.

They write with :func:`laanet.utils.media.write_video`.

The demo media they start from (carphone, t1, astronaut) are product
code: :mod:`laanet.utils.demo_media`.
"""
import os

import numpy as np

from laanet.utils.media import read_all_frames, write_video


def still_video(path: str, img: np.ndarray, num_frames: int = 6) -> str:
    """A video of an image that drifts by one pixel per frame.

    Args:
        path (str): Output ``.avi``.
        img (np.ndarray): BGR image.
        num_frames (int): Frames. Defaults to 6.

    Returns:
        str: ``path``.
    """
    frames = [np.roll(img, i, axis=1) for i in range(num_frames)]
    return write_video(path, frames, fourcc='MJPG')


def lying_video(path: str, src: str, keep: float = 1 / 3) -> str:
    """A truncated MJPG AVI whose header over-states its frame count.

    Args:
        path (str): Output ``.avi``.
        src (str): A source video.
        keep (float): Fraction of the bytes kept. Defaults to 1/3.

    Returns:
        str: ``path``.
    """
    full = path + '.full.avi'
    write_video(full, read_all_frames(src), fourcc='MJPG')
    with open(full, 'rb') as f:
        data = f.read()
    os.remove(full)
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * keep)])
    return path
