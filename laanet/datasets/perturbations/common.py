# Copyright (c) laanet contributors. All rights reserved.
"""The common image-level degradations of recent robustness tables.

Not the DeeperForensics-1.0 set (see :mod:`.df1`): a real JPEG encoding
at a quality (DF1's "JPEG" is a pixelation), a Gaussian blur given by its
sigma, a down-resize and back, and additive Gaussian noise in BGR.

================ ============================== ==========================
kind             what                           parameter at levels 1..5
================ ============================== ==========================
jpeg_quality     ``cv2.imencode`` JPEG quality  90 70 50 30 10
blur             Gaussian blur sigma (px)       1 2 3 4 5
resize           scale, INTER_AREA down and     0.75 0.5 0.35 0.25 0.15
                 bilinear back up
noise            BGR Gaussian noise sigma       5 10 15 20 25
================ ============================== ==========================
"""
from typing import Dict, Optional, Tuple

import cv2
import numpy as np

from laanet.utils.media import to_bgr_uint8
from .df1 import image_seed, level_param

#: The kinds, named so that they are not confused with the DF1 codes.
COMMON_KINDS: Tuple[str, ...] = ('jpeg_quality', 'blur', 'resize', 'noise')
#: The parameter of each kind at levels 1..5.
COMMON_PARAMS: Dict[str, Tuple] = dict(
    jpeg_quality=(90, 70, 50, 30, 10),
    blur=(1., 2., 3., 4., 5.),
    resize=(0.75, 0.5, 0.35, 0.25, 0.15),
    noise=(5., 10., 15., 20., 25.))


def common_param(kind: str, level: int):
    """The parameter of a common degradation (``kind`` in
    :data:`COMMON_KINDS`) at ``level`` (1..5); ``ValueError`` otherwise."""
    return level_param(COMMON_PARAMS, kind, level,
                       "degradation (DF1 codes are DF1Perturbation's)")


def jpeg_quality(img: np.ndarray, quality: int,
                 name: str = '<array>') -> np.ndarray:
    """Encode and decode as a JPEG of ``quality`` (libjpeg, 4:2:0).

    Args:
        img (np.ndarray): BGR uint8.
        quality (int): 1..100.
        name (str): The file name for the errors.

    Returns:
        np.ndarray: BGR uint8.
    """
    ok, buf = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError(f'{name}: JPEG encoding failed')
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of ``sigma`` (kernel side ``2 * ceil(3 sigma) + 1``).

    Args:
        img (np.ndarray): BGR uint8.
        sigma (float): In pixels.

    Returns:
        np.ndarray: BGR uint8.
    """
    k = 2 * int(np.ceil(3 * sigma)) + 1
    return cv2.GaussianBlur(img, (k, k), sigma)


def resize(img: np.ndarray, scale: float,
           name: str = '<array>') -> np.ndarray:
    """Down-resize by ``scale`` (INTER_AREA) and back (bilinear).

    Args:
        img (np.ndarray): BGR uint8.
        scale (float): 0..1.
        name (str): The file name for the errors.

    Returns:
        np.ndarray: BGR uint8 of ``img``'s size.
    """
    h, w = img.shape[:2]
    sw, sh = round(w * scale), round(h * scale)
    if sw < 1 or sh < 1:
        raise ValueError(f'{name}: a {w}x{h} image cannot be resized by '
                         f'{scale}.')
    small = cv2.resize(img, (sw, sh), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def noise(img: np.ndarray, sigma: float,
          rng: np.random.Generator) -> np.ndarray:
    """Add N(0, sigma^2) to every BGR value, round and clip.

    Args:
        img (np.ndarray): BGR uint8.
        sigma (float): In 0..255 units.
        rng (np.random.Generator): Where the noise comes from.

    Returns:
        np.ndarray: BGR uint8.
    """
    out = img.astype(np.float64) + sigma * rng.standard_normal(img.shape)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def degrade(img: np.ndarray,
            kind: str,
            level: int,
            seed: Optional[int] = None,
            name: str = '<array>') -> np.ndarray:
    """Apply one common degradation to a BGR uint8 image.

    Args:
        img (np.ndarray): BGR uint8 (grey-scale and BGRA are converted).
        kind (str): One of :data:`COMMON_KINDS`.
        level (int): 1..5.
        seed (int, optional): Seed of ``noise``. None: derived from
            ``name``.
        name (str): The file name (errors, default seed).

    Returns:
        np.ndarray: The degraded image.
    """
    param = common_param(kind, level)
    img = to_bgr_uint8(img, name)
    if kind == 'jpeg_quality':
        return jpeg_quality(img, param, name)
    if kind == 'blur':
        return blur(img, param)
    if kind == 'resize':
        return resize(img, param, name)
    rng = np.random.default_rng(
        image_seed(kind, level, name) if seed is None else seed)
    return noise(img, param, rng)
