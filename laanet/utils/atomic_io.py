# Copyright (c) laanet contributors. All rights reserved.
"""Atomic file writes: a killed process never leaves a partial file."""
import json
import os
import os.path as osp
import tempfile
from typing import IO, Any, Callable, Sequence

import cv2
import numpy as np


def atomic_write(path: str,
                 write_fn: Callable[[IO], None],
                 mode: str = 'w') -> None:
    """Write a file through a temporary file beside it and ``os.replace``.

    Args:
        path (str): Destination file; its folder is created if missing.
        write_fn (Callable): Called with the open temporary file.
        mode (str): ``'w'`` (text, UTF-8, no newline translation) or
            ``'wb'``. Defaults to ``'w'``.
    """
    dirname = osp.dirname(osp.abspath(path))
    os.makedirs(dirname, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix='.tmp', dir=dirname)
    try:
        if 'b' in mode:
            f = os.fdopen(fd, mode)
        else:
            f = os.fdopen(fd, mode, encoding='utf-8', newline='')
        with f:
            write_fn(f)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write_image(path: str, img: np.ndarray) -> None:
    """Encode ``img`` with the extension of ``path`` and move it in place.

    Args:
        path (str): Destination, e.g. ``.../000.png``.
        img (np.ndarray): Image for ``cv2.imencode``.

    Raises:
        OSError: If encoding or writing fails.
    """
    ext = osp.splitext(path)[1] or '.png'
    ok, buf = cv2.imencode(ext, img)
    if not ok:
        raise OSError(f'cv2.imencode failed for {path}')
    atomic_write(path, lambda f: f.write(buf.tobytes()), mode='wb')


def atomic_dump_json(obj: Any, path: str, indent: int = None) -> None:
    """Write ``obj`` as JSON to ``path`` atomically.

    Args:
        obj: A JSON-serialisable object.
        path (str): Destination file.
        indent (int, optional): ``json.dump`` indentation.
    """
    atomic_write(path, lambda f: json.dump(obj, f, indent=indent))


def atomic_write_video(path: str, frames: Sequence[np.ndarray],
                       fps: float) -> None:
    """Write BGR frames as an mp4 (mp4v) video, atomically.

    OpenCV writes a temporary file beside ``path`` (removed on failure),
    which then replaces ``path``.

    Args:
        path (str): Destination ``.mp4``; its folder is created if missing.
        frames (Sequence[np.ndarray]): BGR uint8 frames of one size.
        fps (float): Frame rate of the file.

    Raises:
        ValueError: If there is no frame or ``fps`` is not positive.
        RuntimeError: If OpenCV cannot write the video.
    """
    if not frames:
        raise ValueError(f'{path}: no frame to write')
    if not fps > 0:
        raise ValueError(f'{path}: the frame rate must be positive, got '
                         f'{fps}')
    dirname = osp.dirname(osp.abspath(path))
    os.makedirs(dirname, exist_ok=True)
    tmp = osp.join(dirname, f'.{osp.basename(path)}.tmp.mp4')
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(tmp, cv2.VideoWriter_fourcc(*'mp4v'), fps, (w, h))
    try:
        if not writer.isOpened():
            raise RuntimeError(f'OpenCV cannot write the video {path}')
        for frame in frames:
            writer.write(frame)
        writer.release()
        os.replace(tmp, path)
    except BaseException:
        writer.release()
        if osp.exists(tmp):
            os.remove(tmp)
        raise
