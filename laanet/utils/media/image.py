# Copyright (c) laanet contributors. All rights reserved.
"""Image reading and the one rule that brings an image to BGR uint8.

:func:`to_bgr_uint8` is the policy every part of laanet applies to an
image it did not decode itself (inference inputs, the DF1 and common
perturbations, the web app): grey-scale is replicated, alpha dropped and
an image of a known wider range scaled to 8 bits (16-bit by 1/257, as
``mmcv.imread`` reads a 16-bit PNG as 8 bits rather than refusing it);
a float image is taken as [0, 1] and refused when its values say
otherwise (an ``mmcv`` ``to_float32`` image holds 0..255: guessing would
silently whiten it). :func:`read_image` decodes a file with Pillow and
applies the same rule.
"""
import os.path as osp

import cv2
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

#: Images above this many pixels are refused (about 16k x 16k).
DEFAULT_MAX_PIXELS = 2**28


class MediaReadError(ValueError):
    """An input that cannot be read as an image or a video."""


def to_bgr_uint8(img: np.ndarray, name: str = '<array>') -> np.ndarray:
    """Bring an image to 3-channel BGR uint8: the one policy of laanet.

    Grayscale is replicated, an alpha channel dropped, 16-bit images
    scaled by 1/257 (65535 -> 255; 32-bit integer images, Pillow's ``I``
    mode, too when they hold values above 255), boolean images mapped to
    0/255 and float images in [0, 1] scaled by 255. A float image with
    values outside [0, 1] is refused: it is ambiguous (an ``mmcv``
    ``to_float32`` image holds 0..255) and clipping it would silently
    whiten it.

    Args:
        img (np.ndarray): (H, W), (H, W, 1), (H, W, 3) BGR or (H, W, 4)
            BGRA, of dtype uint8, uint16, int32, uint32, int64, bool or
            float.
        name (str): Name for error messages (a file name).

    Returns:
        np.ndarray: (H, W, 3) BGR uint8 (``img`` itself when it already
        is a contiguous one).

    Raises:
        TypeError: If ``img`` is not a numpy array.
        MediaReadError: For other shapes or dtypes, or a float image
            outside [0, 1].
    """
    if not isinstance(img, np.ndarray):
        raise TypeError(f'{name}: expected a numpy image, got '
                        f'{type(img).__name__}')
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
        img = np.nan_to_num(img.astype(np.float32))
        if img.min() < 0 or img.max() > 1:
            raise MediaReadError(
                f'{name}: a float image must hold values in [0, 1], this one '
                f'spans [{img.min():g}, {img.max():g}] (for a 0..255 image '
                'use `img.astype(np.uint8)`)')
        img = (img * 255).round().astype(np.uint8)
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
