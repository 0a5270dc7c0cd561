# Copyright (c) laanet contributors. All rights reserved.
"""The DeeperForensics-1.0 perturbations on BGR uint8 frames.

Re-implemented from the definition of DeeperForensics-1.0 (Jiang et al.,
CVPR 2020, ``perturbation/distortions.py``, MIT): seven kinds, five levels
each. The frame-level kinds are exact (CS, CC, GB, JPEG) or equal in
distribution (BW positions, GNC noise: our random generator is seeded per
image instead of the global ``random``/``numpy.random`` state).

==== ============================================= =========================
code what                                          parameter at levels 1..5
==== ============================================= =========================
CS   colour saturation (Cb/Cr spread times p)      0.4 0.3 0.2 0.1 0.0
CC   colour contrast (pixels times p, truncated)   0.85 0.725 0.6 0.475 0.35
BW   p * (min(H, W) // 256) grey 8x8 blocks        16 32 48 64 80
GNC  Gaussian noise, variance p, in YCbCr / 255    0.001 0.002 0.005 0.01 0.05
GB   Gaussian blur, kernel p, sigma p / 6          7 9 13 17 21
JPEG pixelation: resize by 1 / p and back          2 3 4 5 6
VC   H.264 video compression with CRF p            30 32 35 38 40
==== ============================================= =========================

The reference's colour space (used by CS and GNC): the float32 BGR image
in 0..255 goes through OpenCV's YCrCb conversion, the channels are put in
Y, Cb, Cr order, and Y is mapped by ``(v * 219 + 16) / 255`` and Cb, Cr by
``(v * 224 + 16) / 255`` (the values stay near 0..255: the reference
applies the [16, 235] / [16, 240] rescale to 0..255 values, not to 0..1
ones; we keep that arithmetic so that the outputs match).
"""
import zlib
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from laanet.utils.media import to_bgr_uint8

#: The seven kinds, in the reference's order.
DF1_KINDS: Tuple[str, ...] = ('CS', 'CC', 'BW', 'GNC', 'GB', 'JPEG', 'VC')
#: The parameter of each kind at levels 1..5.
DF1_PARAMS: Dict[str, Tuple] = dict(
    CS=(0.4, 0.3, 0.2, 0.1, 0.0),
    CC=(0.85, 0.725, 0.6, 0.475, 0.35),
    BW=(16, 32, 48, 64, 80),
    GNC=(0.001, 0.002, 0.005, 0.01, 0.05),
    GB=(7, 9, 13, 17, 21),
    JPEG=(2, 3, 4, 5, 6),
    VC=(30, 32, 35, 38, 40))
#: What each code stands for.
DF1_NAMES: Dict[str, str] = dict(
    CS='colour saturation', CC='colour contrast', BW='block-wise',
    GNC='Gaussian noise (colour)', GB='Gaussian blur',
    JPEG='pixelation (DF1 "JPEG")', VC='video compression (H.264 CRF)')
#: Side of a block-wise block, in pixels of the frame.
BW_BLOCK = 8
#: Grey value of a block-wise block.
BW_GREY = 128


def level_param(table: Dict[str, Tuple], kind: str, level: int,
                what: str):
    """The parameter of ``kind`` at ``level`` (1..5) in ``table``.

    Args:
        table (dict): Kind -> the five parameters.
        kind (str): The kind.
        level (int): 1..5.
        what (str): What the table holds, for the errors.

    Returns:
        float | int: The parameter.

    Raises:
        ValueError: On an unknown kind or level.
    """
    if kind not in table:
        raise ValueError(f'Unknown {what} {kind!r}; expected one of '
                         f'{tuple(table)}.')
    if isinstance(level, bool) or level not in (1, 2, 3, 4, 5):
        raise ValueError(f'{what} levels are 1..5, but got {level!r}.')
    return table[kind][level - 1]


def df1_param(kind: str, level: int):
    """The reference parameter of a DF1 kind at a level.

    Args:
        kind (str): One of :data:`DF1_KINDS`.
        level (int): 1..5.

    Returns:
        float | int: The parameter.

    Raises:
        ValueError: On an unknown kind or level.
    """
    return level_param(DF1_PARAMS, kind, level, 'DF1 perturbation')


def image_seed(*parts) -> int:
    """A stable 32-bit seed from strings and numbers (e.g. a file path).

    Args:
        *parts: Anything with a stable ``str``.

    Returns:
        int: The seed.
    """
    return zlib.crc32('\0'.join(str(p) for p in parts).encode('utf-8'))


def bgr_to_df1_ycbcr(img: np.ndarray) -> np.ndarray:
    """The reference's YCbCr of a BGR image (see the module docstring).

    Args:
        img (np.ndarray): (H, W, 3) BGR, any dtype, values in 0..255.

    Returns:
        np.ndarray: (H, W, 3) float32 in Y, Cb, Cr order.
    """
    ycrcb = cv2.cvtColor(img.astype(np.float32), cv2.COLOR_BGR2YCrCb)
    out = ycrcb[:, :, [0, 2, 1]].astype(np.float32)
    out[:, :, 0] = (out[:, :, 0] * (235 - 16) + 16) / 255.0
    out[:, :, 1:] = (out[:, :, 1:] * (240 - 16) + 16) / 255.0
    return out


def df1_ycbcr_to_bgr(ycbcr: np.ndarray) -> np.ndarray:
    """Invert :func:`bgr_to_df1_ycbcr`.

    Args:
        ycbcr (np.ndarray): (H, W, 3) Y, Cb, Cr.

    Returns:
        np.ndarray: (H, W, 3) float32 BGR (not clipped).
    """
    out = ycbcr.astype(np.float32)
    out[:, :, 0] = (out[:, :, 0] * 255.0 - 16) / (235 - 16)
    out[:, :, 1:] = (out[:, :, 1:] * 255.0 - 16) / (240 - 16)
    ycrcb = np.ascontiguousarray(out[:, :, [0, 2, 1]], dtype=np.float32)
    return cv2.cvtColor(ycrcb, cv2.COLOR_YCrCb2BGR)


def _truncate_uint8(img: np.ndarray) -> np.ndarray:
    """Truncate toward zero to uint8, as ``astype(np.uint8)`` does in
    range (the clip only defines what out-of-range values become)."""
    return np.clip(img, 0, 255).astype(np.uint8)


def color_saturation(img: np.ndarray, param: float) -> np.ndarray:
    """CS: scale the Cb and Cr spread around 0.5 by ``param``.

    Args:
        img (np.ndarray): BGR uint8.
        param (float): 0 (grey) .. 1 (unchanged).

    Returns:
        np.ndarray: BGR uint8.
    """
    ycbcr = bgr_to_df1_ycbcr(img)
    ycbcr[:, :, 1:] = 0.5 + (ycbcr[:, :, 1:] - 0.5) * param
    return _truncate_uint8(df1_ycbcr_to_bgr(ycbcr))


def color_contrast(img: np.ndarray, param: float) -> np.ndarray:
    """CC: multiply every pixel by ``param`` (float32) and truncate.

    Args:
        img (np.ndarray): BGR uint8.
        param (float): The factor.

    Returns:
        np.ndarray: BGR uint8.
    """
    return _truncate_uint8(img.astype(np.float32) * param)


def block_wise(img: np.ndarray,
               param: int,
               rng: np.random.Generator,
               name: str = '<array>') -> np.ndarray:
    """BW: ``param * (min(H, W) // 256)`` grey 8x8 blocks at random places.

    The top-left corner of each block is uniform over
    ``0..W - 1 - 8`` by ``0..H - 1 - 8``, as in the reference.

    Args:
        img (np.ndarray): BGR uint8, at least 256 pixels on its short side
            (a smaller one would get no block at all).
        param (int): Blocks per 256 pixels of the short side.
        rng (np.random.Generator): Where the positions come from.
        name (str): The file name for the errors.

    Returns:
        np.ndarray: A perturbed copy.

    Raises:
        ValueError: If the image is smaller than 256 pixels on a side.
    """
    h, w = img.shape[:2]
    if min(h, w) < 256:
        raise ValueError(
            f'{name}: BW puts param * (min(H, W) // 256) blocks, so none on '
            f'a {w}x{h} image; the reference applies it to full frames (use '
            'the frame protocol, or give the transform the frame size).')
    num = min(h, w) // 256 * param
    return paint_blocks(img, rng.integers(0, w - BW_BLOCK, num),
                        rng.integers(0, h - BW_BLOCK, num), BW_BLOCK)


def paint_blocks(img: np.ndarray, xs: Sequence[int], ys: Sequence[int],
                 side: int) -> np.ndarray:
    """A copy of ``img`` with grey squares at ``(xs, ys)`` (top-left).

    Args:
        img (np.ndarray): BGR uint8.
        xs (Sequence[int]): Left columns (may lie partly outside).
        ys (Sequence[int]): Top rows.
        side (int): Square side in pixels.

    Returns:
        np.ndarray: The copy.
    """
    out = img.copy()
    for x, y in zip(xs, ys):
        x0, y0 = max(int(x), 0), max(int(y), 0)
        out[y0:max(int(y) + side, 0), x0:max(int(x) + side, 0)] = BW_GREY
    return out


def gaussian_noise_ycbcr(img: np.ndarray, param: float,
                         rng: np.random.Generator) -> np.ndarray:
    """GNC before the conversion back: YCbCr / 255 plus N(0, param).

    Args:
        img (np.ndarray): BGR uint8.
        param (float): The noise variance.
        rng (np.random.Generator): Where the noise comes from.

    Returns:
        np.ndarray: (H, W, 3) float64 noisy Y, Cb, Cr, divided by 255.
    """
    ycbcr = bgr_to_df1_ycbcr(img) / 255
    return ycbcr + np.sqrt(param) * rng.standard_normal(ycbcr.shape)


def gaussian_noise_color(img: np.ndarray, param: float,
                         rng: np.random.Generator) -> np.ndarray:
    """GNC: white Gaussian noise of variance ``param`` in YCbCr / 255.

    Args:
        img (np.ndarray): BGR uint8.
        param (float): The noise variance.
        rng (np.random.Generator): Where the noise comes from.

    Returns:
        np.ndarray: BGR uint8 (clipped, truncated).
    """
    noisy = gaussian_noise_ycbcr(img, param, rng) * 255
    return _truncate_uint8(df1_ycbcr_to_bgr(noisy))


def gaussian_blur(img: np.ndarray, param: int) -> np.ndarray:
    """GB: ``cv2.GaussianBlur`` with a ``param`` kernel, sigma param / 6.

    Args:
        img (np.ndarray): BGR uint8.
        param (int): Odd kernel side.

    Returns:
        np.ndarray: BGR uint8.
    """
    return cv2.GaussianBlur(img, (param, param), param / 6)


def pixelation(img: np.ndarray, param: int,
               name: str = '<array>') -> np.ndarray:
    """DF1 "JPEG": resize to ``(W // p, H // p)`` and back (bilinear).

    The reference calls it JPEG compression, but it is a down- and
    up-scaling with ``cv2.resize``'s default interpolation both ways.

    Args:
        img (np.ndarray): BGR uint8.
        param (int): The factor.
        name (str): The file name for the errors.

    Returns:
        np.ndarray: BGR uint8.

    Raises:
        ValueError: If a side is shorter than ``param``.
    """
    h, w = img.shape[:2]
    if h < param or w < param:
        raise ValueError(f'{name}: a {w}x{h} image cannot be scaled down by '
                         f'{param} (DF1 JPEG).')
    small = cv2.resize(img, (w // param, h // param))
    return cv2.resize(small, (w, h))


def df1_perturb(img: np.ndarray,
                kind: str,
                level: int,
                seed: Optional[int] = None,
                name: str = '<array>') -> np.ndarray:
    """Apply one DF1 perturbation to a BGR uint8 frame.

    Args:
        img (np.ndarray): BGR uint8 (other images are converted by
            :func:`~laanet.utils.media.to_bgr_uint8`: grey-scale, BGRA,
            16-bit, [0, 1] float).
        kind (str): One of :data:`DF1_KINDS`. ``'VC'`` encodes the single
            image as an H.264 frame (see
            :func:`~laanet.datasets.perturbations.h264_round_trip`);
            videos are re-encoded whole with
            :func:`~laanet.utils.media.reencode_video`.
        level (int): 1..5.
        seed (int, optional): Seed of BW and GNC. None: a seed derived
            from ``name``, so that a file always gets the same result.
        name (str): The file name (errors, default seed).

    Returns:
        np.ndarray: The perturbed BGR uint8 frame (never ``img`` itself).
    """
    param = df1_param(kind, level)
    img = to_bgr_uint8(img, name)
    if kind == 'CS':
        return color_saturation(img, param)
    if kind == 'CC':
        return color_contrast(img, param)
    if kind == 'GB':
        return gaussian_blur(img, param)
    if kind == 'JPEG':
        return pixelation(img, param, name)
    if kind == 'VC':
        from .video_codec import h264_round_trip
        return h264_round_trip(img, param, name)
    rng = np.random.default_rng(
        image_seed(kind, level, name) if seed is None else seed)
    if kind == 'BW':
        return block_wise(img, param, rng, name)
    return gaussian_noise_color(img, param, rng)
