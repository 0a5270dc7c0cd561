# Copyright (c) laanet contributors. All rights reserved.
"""Writing frames as a video file: the one OpenCV video writer.

Inference's annotated videos, the test-video factories
(:mod:`laanet.testing.media`) and the benchmarks all write through
:func:`write_video`; re-encoding an existing file with ffmpeg is
:func:`laanet.utils.media.reencode_video`.
"""
import os
import os.path as osp
from typing import Sequence

import cv2
import numpy as np


def write_video(path: str,
                frames: Sequence[np.ndarray],
                fps: float = 25.,
                fourcc: str = 'mp4v') -> str:
    """Write BGR frames as a video, atomically.

    OpenCV writes a temporary file beside ``path`` (same extension, so the
    same container; removed on failure), which then replaces ``path``.

    Args:
        path (str): Destination (``.mp4`` for mp4v, ``.avi`` for MJPG);
            its folder is created if missing.
        frames (Sequence[np.ndarray]): BGR uint8 frames of one size.
        fps (float): Frame rate of the file. Defaults to 25.
        fourcc (str): Codec. Defaults to ``'mp4v'``.

    Returns:
        str: ``path``.

    Raises:
        ValueError: If there is no frame or ``fps`` is not positive.
        RuntimeError: If OpenCV cannot write the video.
    """
    if not len(frames):
        raise ValueError(f'{path}: no frame to write')
    if not fps > 0:
        raise ValueError(f'{path}: the frame rate must be positive, got '
                         f'{fps}')
    dirname = osp.dirname(osp.abspath(path))
    os.makedirs(dirname, exist_ok=True)
    ext = osp.splitext(path)[1]
    tmp = osp.join(dirname, f'.{osp.basename(path)}.tmp{ext}')
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*fourcc), fps,
                             (w, h))
    try:
        if not writer.isOpened():
            raise RuntimeError(
                f'OpenCV cannot write the video {path} (codec {fourcc})')
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
