# Copyright (c) laanet contributors. All rights reserved.
"""Writing frames as a video file: the one OpenCV video writer.

Inference's annotated videos, the test-video factories
(:mod:`laanet.testing.media`) and the benchmarks all write through
:func:`write_video`; re-encoding an existing file with ffmpeg is
:func:`laanet.utils.media.reencode_video`.
"""
import os
import os.path as osp
from typing import Iterable

import cv2
import numpy as np


def write_video(path: str,
                frames: Iterable[np.ndarray],
                fps: float = 25.,
                fourcc: str = 'mp4v') -> str:
    """Write BGR frames as a video, atomically.

    OpenCV writes a temporary file beside ``path`` (same extension, so the
    same container; removed on failure), which then replaces ``path``.

    Args:
        path (str): Destination (``.mp4`` for mp4v, ``.avi`` for MJPG);
            its folder is created if missing.
        frames (Iterable[np.ndarray]): BGR uint8 frames of one size; a
            generator is written as it yields (no list of frames held).
        fps (float): Frame rate of the file. Defaults to 25.
        fourcc (str): Codec. Defaults to ``'mp4v'``.

    Returns:
        str: ``path``.

    Raises:
        ValueError: If there is no frame or ``fps`` is not positive.
        RuntimeError: If OpenCV cannot write the video.
    """
    if not fps > 0:
        raise ValueError(f'{path}: the frame rate must be positive, got '
                         f'{fps}')
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ValueError(f'{path}: no frame to write')
    dirname = osp.dirname(osp.abspath(path))
    os.makedirs(dirname, exist_ok=True)
    ext = osp.splitext(path)[1]
    tmp = osp.join(dirname, f'.{osp.basename(path)}.tmp{ext}')
    h, w = first.shape[:2]
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*fourcc), fps,
                             (w, h))
    try:
        if not writer.isOpened():
            raise RuntimeError(
                f'OpenCV cannot write the video {path} (codec {fourcc})')
        writer.write(first)
        for frame in frames:
            writer.write(frame)
        writer.release()
        os.replace(tmp, path)
    except BaseException:
        writer.release()
        if osp.exists(tmp):
            os.remove(tmp)
        raise
    return path
