# Copyright (c) laanet contributors. All rights reserved.
"""The inputs of inference: expanding, classifying and decoding them.

Owns what is inference-specific about its inputs: expanding paths,
folders and arrays into a list, telling an image from a video, and
decoding one input into frames (every problem becomes a
:class:`~laanet.utils.media.MediaReadError` whose message names the file
and says what is wrong, so that callers can record it and go on). The
media rules themselves (extensions, image reading and the BGR-uint8
policy, frame sampling) are :mod:`laanet.utils.media`'s; the files
inference writes are :mod:`laanet.apis.writers`'.
"""
import os
import os.path as osp
from typing import Any, List, Union

import numpy as np

from laanet.utils.media import (DEFAULT_MAX_PIXELS, IMAGE_EXTENSIONS,
                                VIDEO_EXTENSIONS, MediaReadError,
                                VideoReadError, read_image,
                                read_sampled_frames, to_bgr_uint8)


def media_kind(path: str) -> str:
    """Say whether a file is an image or a video, from its extension.

    Args:
        path (str): The file.

    Returns:
        str: ``'image'`` or ``'video'``.

    Raises:
        MediaReadError: For a missing path, a folder, or an extension that
            is neither an image's nor a video's.
    """
    if not osp.exists(path):
        raise MediaReadError(f'{path}: no such file')
    if osp.isdir(path):
        raise MediaReadError(f'{path}: is a folder, not an image or video')
    ext = osp.splitext(path)[1].lower()
    if ext in IMAGE_EXTENSIONS:
        return 'image'
    if ext in VIDEO_EXTENSIONS:
        return 'video'
    raise MediaReadError(
        f'{path}: not an image or a video (extension {ext or "(none)"!r}; '
        f'images: {", ".join(IMAGE_EXTENSIONS)}; videos: '
        f'{", ".join(VIDEO_EXTENSIONS)})')


def list_folder(folder: str) -> List[str]:
    """The files of a folder (not recursive), sorted, hidden ones skipped.

    Every file is listed, media or not, so that a non-media file gets a
    result (an error) instead of being silently dropped.

    Args:
        folder (str): The folder.

    Returns:
        list[str]: Paths of the files.
    """
    return [
        osp.join(folder, name) for name in sorted(os.listdir(folder))
        if not name.startswith('.') and osp.isfile(osp.join(folder, name))
    ]


def expand_inputs(inputs: Any) -> list:
    """Expand a path, a folder (its files), an array or a list of them.

    Args:
        inputs: A path, a folder, an image array or a (nested) list.

    Returns:
        list: Paths (str) and arrays, in order.
    """
    if isinstance(inputs, (list, tuple)):
        out = []
        for item in inputs:
            out.extend(expand_inputs(item))
        return out
    if isinstance(inputs, np.ndarray):
        return [inputs]
    inputs = os.fspath(inputs)
    if osp.isdir(inputs):
        return list_folder(inputs)
    return [inputs]


def is_folder(inputs: Any) -> bool:
    """Whether an input (a path, an array or a list) is a folder."""
    return not isinstance(inputs, (np.ndarray, list, tuple)) and osp.isdir(
        os.fspath(inputs))


def decode_media(inputs: Union[str, np.ndarray],
                 num_frames: int,
                 max_pixels: int = DEFAULT_MAX_PIXELS,
                 sampling: str = 'even',
                 clip_len: int = 4) -> dict:
    """Decode one input into frames.

    Args:
        inputs (str | np.ndarray): A file or an image array (BGR).
        num_frames (int): Frames to sample from a video (evenly spaced,
            :func:`~laanet.utils.media.read_sampled_frames`).
        max_pixels (int): Larger images are refused. Defaults to 2**28.
        sampling (str): How video frames are chosen: ``'even'`` or
            ``'clips'`` (windows of ``clip_len`` consecutive frames, for
            clip models; :func:`~laanet.utils.media.sample_frame_indices`).
            Defaults to ``'even'``.
        clip_len (int): Window length of ``'clips'``. Defaults to 4.

    Returns:
        dict: ``file``, ``type`` (``'image'``/``'video'``), ``indices``,
        ``frames`` (BGR uint8), ``fps`` and ``num_total`` (the source's
        frame rate and frame count; None for images) and ``warnings``.

    Raises:
        MediaReadError: If the input cannot be read.
    """
    if isinstance(inputs, np.ndarray) or media_kind(inputs) == 'image':
        if isinstance(inputs, np.ndarray):
            file, img = '<array>', to_bgr_uint8(inputs)
        else:
            file, img = inputs, read_image(inputs, max_pixels)
        return dict(
            file=file,
            type='image',
            indices=[0],
            frames=[img],
            fps=None,
            num_total=None,
            warnings=[])
    try:
        sampled = read_sampled_frames(
            inputs, num_frames, sampling=sampling, clip_len=clip_len)
    except VideoReadError as err:
        raise MediaReadError(str(err)) from err
    return dict(
        file=inputs,
        type='video',
        indices=list(sampled.indices),
        frames=list(sampled.frames),
        fps=sampled.fps or None,
        num_total=sampled.real_count,
        warnings=list(sampled.warnings))
