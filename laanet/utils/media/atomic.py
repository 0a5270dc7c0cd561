# Copyright (c) laanet contributors. All rights reserved.
"""Atomic file writes: a killed process never leaves a partial file.

Every file laanet writes for a user (JSON, CSV, text, images, checkpoints;
videos: :func:`laanet.utils.media.write_video`) goes through a temporary
file beside the destination that ``os.replace`` moves in place.
"""
import csv
import json
import os
import os.path as osp
import tempfile
from typing import IO, Any, Callable, Iterable, Mapping, Sequence

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


def atomic_write_text(path: str, text: str) -> None:
    """Write ``text`` (UTF-8, no newline translation) to ``path``
    atomically.

    Args:
        path (str): Destination file.
        text (str): The content.
    """
    atomic_write(path, lambda f: f.write(text))


def atomic_write_csv(path: str, fieldnames: Sequence[str],
                     rows: Iterable[Mapping], **kwargs) -> None:
    """Write dict rows as CSV with a header line, atomically.

    Args:
        path (str): Destination file.
        fieldnames (Sequence[str]): The columns, in order.
        rows (Iterable[Mapping]): One mapping per row (a generator is
            consumed while the temporary file is open).
        **kwargs: More ``csv.DictWriter`` arguments (``extrasaction``).
    """

    def write(f):
        writer = csv.DictWriter(f, fieldnames=list(fieldnames), **kwargs)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)

    atomic_write(path, write)


def atomic_torch_save(obj: Any, path: str) -> None:
    """``torch.save`` ``obj`` to ``path`` atomically (a checkpoint).

    Args:
        obj: What ``torch.save`` accepts.
        path (str): Destination ``.pth``.
    """
    import torch  # torch only for checkpoints: the module stays light
    atomic_write(path, lambda f: torch.save(obj, f), mode='wb')
