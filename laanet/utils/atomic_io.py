# Copyright (c) laanet contributors. All rights reserved.
"""Atomic file writes: a killed process never leaves a partial file."""
import json
import os
import os.path as osp
import tempfile
from typing import Any

import cv2
import numpy as np


def _tmp_path(path: str, suffix: str) -> str:
    """A unique temporary name next to ``path`` (same file system)."""
    dirname = osp.dirname(osp.abspath(path))
    os.makedirs(dirname, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f'.{osp.basename(path)}.', suffix=suffix + '.tmp',
        dir=dirname)
    os.close(fd)
    return tmp


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
    tmp = _tmp_path(path, ext)
    try:
        with open(tmp, 'wb') as f:
            f.write(buf.tobytes())
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise


def atomic_dump_json(obj: Any, path: str, indent: int = None) -> None:
    """Write ``obj`` as JSON to ``path`` atomically.

    Args:
        obj: A JSON-serialisable object.
        path (str): Destination file.
        indent (int, optional): ``json.dump`` indentation.
    """
    tmp = _tmp_path(path, '.json')
    try:
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(obj, f, indent=indent)
        os.replace(tmp, path)
    except BaseException:
        if osp.exists(tmp):
            os.remove(tmp)
        raise
