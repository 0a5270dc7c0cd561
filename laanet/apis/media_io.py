# Copyright (c) laanet contributors. All rights reserved.
"""The inputs of inference: listing and decoding them.

Owns decoding of the images and videos given to inference (every problem
becomes a :class:`MediaReadError` whose message names the file and says
what is wrong, so that callers can record it and go on) and folder
listing. Which extensions count as media is
:mod:`laanet.utils.media_types`'s; the files inference writes are
:mod:`laanet.apis.writers`'.
"""
import os
import os.path as osp
from typing import Any, List, Union

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from laanet.utils.media_types import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS
from laanet.utils.video import VideoReadError, read_sampled_frames


#: Images above this many pixels are refused (about 16k x 16k).
DEFAULT_MAX_PIXELS = 2**28


class MediaReadError(ValueError):
    """An input that cannot be read as an image or a video."""


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


def to_bgr_uint8(img: np.ndarray, name: str = '<array>') -> np.ndarray:
    """Bring a decoded image to 3-channel BGR uint8.

    Grayscale is replicated, an alpha channel dropped, 16-bit images
    scaled by 1/257 (65535 → 255), float images taken as [0, 1].

    Args:
        img (np.ndarray): (H, W), (H, W, 1), (H, W, 3) BGR or (H, W, 4)
            BGRA, of dtype uint8, uint16, int32 or float.
        name (str): Name for error messages.

    Returns:
        np.ndarray: (H, W, 3) BGR uint8.

    Raises:
        MediaReadError: For other shapes or dtypes.
    """
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[..., 0]
    if img.ndim not in (2, 3) or (img.ndim == 3
                                  and img.shape[2] not in (3, 4)) or min(
                                      img.shape[:2]) < 1:
        raise MediaReadError(f'{name}: unsupported image shape {img.shape}')
    if img.dtype == np.uint16:
        img = (img.astype(np.float32) / 257.).round().astype(np.uint8)
    elif img.dtype in (np.int32, np.uint32, np.int64):
        # PIL's 'I' mode holds 16-bit data in int32.
        top = 65535. if img.max() > 255 else 255.
        img = (img.astype(np.float64) * (255. / top)).clip(
            0, 255).round().astype(np.uint8)
    elif np.issubdtype(img.dtype, np.floating):
        img = (np.nan_to_num(img.astype(np.float32)).clip(0, 1) *
               255).round().astype(np.uint8)
    elif img.dtype == np.bool_:
        img = img.astype(np.uint8) * 255
    elif img.dtype != np.uint8:
        raise MediaReadError(f'{name}: unsupported image dtype {img.dtype}')
    if img.ndim == 2:
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    elif img.shape[2] == 4:
        img = cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(img)


def read_image(path: str, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Read an image file as BGR uint8, whatever its mode.

    Uses Pillow: the EXIF orientation is applied; grayscale, palette,
    RGBA, CMYK, 16-bit and float images are converted (see
    :func:`to_bgr_uint8`).

    Args:
        path (str): The image file.
        max_pixels (int): Larger images are refused with an error (they
            would need gigabytes of memory). Defaults to 2**28.

    Returns:
        np.ndarray: (H, W, 3) BGR uint8.

    Raises:
        MediaReadError: If the file is empty, not an image, truncated or
            too large.
    """
    if osp.getsize(path) == 0:
        raise MediaReadError(f'{path}: empty file (0 bytes)')
    old_limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as im:
            w, h = im.size
            if w * h > max_pixels:
                raise MediaReadError(
                    f'{path}: image too large ({w}x{h} = {w * h} pixels > '
                    f'max_pixels {max_pixels})')
            im = ImageOps.exif_transpose(im)
            mode = im.mode
            if mode in ('RGB', 'L', 'I', 'F', 'I;16', 'I;16B', 'I;16L', 'RGBA',
                        '1'):
                arr = np.asarray(im)
            else:  # P, LA, PA, CMYK, YCbCr, LAB, HSV, RGBX, ...
                arr = np.asarray(im.convert('RGB'))
                mode = 'RGB'
    except MediaReadError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise MediaReadError(
            f'{path}: cannot be read as an image ({err})') from err
    finally:
        Image.MAX_IMAGE_PIXELS = old_limit
    if arr.ndim == 3 and arr.shape[2] in (3, 4):
        arr = arr[..., [2, 1, 0] + ([3] if arr.shape[2] == 4 else [])]
    return to_bgr_uint8(arr, path)


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
                 max_pixels: int = DEFAULT_MAX_PIXELS) -> dict:
    """Decode one input into frames.

    Args:
        inputs (str | np.ndarray): A file or an image array (BGR).
        num_frames (int): Frames to sample from a video (evenly spaced,
            :func:`~laanet.utils.video.read_sampled_frames`).
        max_pixels (int): Larger images are refused. Defaults to 2**28.

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
        sampled = read_sampled_frames(inputs, num_frames)
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
