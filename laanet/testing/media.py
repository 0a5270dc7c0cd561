# Copyright (c) laanet contributors. All rights reserved.
"""Test-video factories: write, drift and truncate small videos.

The demo media they start from (carphone, t1, astronaut) are product
code: :mod:`laanet.datasets.demo_media`.
"""
import os
from typing import List

import cv2
import numpy as np


def write_video(path: str, frames: List[np.ndarray], fps: float = 25.,
                fourcc: str = 'MJPG') -> str:
    """Write BGR frames to a video file.

    Args:
        path (str): Output (``.avi`` for MJPG).
        frames (list[np.ndarray]): Same-size BGR frames.
        fps (float): Frame rate. Defaults to 25.
        fourcc (str): Codec. Defaults to ``'MJPG'``.

    Returns:
        str: ``path``.
    """
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*fourcc), fps,
                             (w, h))
    if not writer.isOpened():
        raise OSError(f'cannot open a {fourcc} writer for {path}')
    for f in frames:
        writer.write(f)
    writer.release()
    return path


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
    return write_video(path, frames)


def lying_video(path: str, src: str, keep: float = 1 / 3) -> str:
    """A truncated MJPG AVI whose header over-states its frame count.

    Args:
        path (str): Output ``.avi``.
        src (str): A source video.
        keep (float): Fraction of the bytes kept. Defaults to 1/3.

    Returns:
        str: ``path``.
    """
    cap = cv2.VideoCapture(src)
    frames = []
    while True:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(f)
    cap.release()
    full = path + '.full.avi'
    write_video(full, frames)
    with open(full, 'rb') as f:
        data = f.read()
    os.remove(full)
    with open(path, 'wb') as f:
        f.write(data[:int(len(data) * keep)])
    return path
