# Copyright (c) laanet contributors. All rights reserved.
"""Geometric warps of images and masks: affine, letterbox, elastic.

Owns :func:`letterbox_matrix`, the single definition of the (official,
corner-aligned) letterbox geometry that training (:class:`LetterboxWarp`)
and testing (:class:`CenterCropLetterbox`, hence inference) both use.
"""
from typing import Optional, Tuple, Union

import cv2
import numpy as np


def elastic_displacement(noise: np.ndarray, alpha: float, sigma: float,
                         out_hw: Optional[Tuple[int, int]] = None
                         ) -> np.ndarray:
    """Smooth displacement field from uniform noise in [-1, 1].

    ``alpha · G_sigma * noise``, as in Simard et al.'s elastic distortion.
    When ``noise`` is coarser than ``out_hw`` by a factor g, it is smoothed
    with ``sigma / g`` and scaled by ``alpha / g`` (the smoothed white
    noise's std grows as 1/sigma), then upsampled bilinearly: the same
    random field, statistically, at 1/g² of the cost, since the field has
    no detail finer than sigma anyway.

    Args:
        noise (np.ndarray): (2, h, w) float32 noise.
        alpha (float): Displacement scale in pixels.
        sigma (float): Gaussian smoothing sigma, in output pixels.
        out_hw (tuple[int, int], optional): Output (H, W). Defaults to the
            noise size.

    Returns:
        np.ndarray: (2, H, W) float32 (dx, dy).
    """
    h, w = noise.shape[1:]
    out_h, out_w = out_hw or (h, w)
    grid = out_w / w
    fields = []
    for n in noise:
        field = cv2.GaussianBlur(n, (0, 0), sigma / grid) * (alpha / grid)
        if (h, w) != (out_h, out_w):
            field = cv2.resize(field, (out_w, out_h),
                               interpolation=cv2.INTER_LINEAR)
        fields.append(field)
    return np.stack(fields)


def remap(img: np.ndarray,
          dx: np.ndarray,
          dy: np.ndarray,
          interpolation: int = cv2.INTER_NEAREST,
          inv_affine: Optional[np.ndarray] = None) -> np.ndarray:
    """Sample ``img`` at (x + dx, y + dy) with a zero border.

    With ``inv_affine`` (the inverse 2×3 matrix of an affine warp applied
    *before* the displacement), the sample points are mapped through it,
    so ``warpAffine`` followed by the displacement is one resampling.

    Args:
        img (np.ndarray): Image or mask.
        dx (np.ndarray): (H, W) float32 x displacement.
        dy (np.ndarray): (H, W) float32 y displacement.
        interpolation (int): OpenCV interpolation.
            Defaults to ``cv2.INTER_NEAREST``.
        inv_affine (np.ndarray, optional): Inverse affine. Defaults to None.

    Returns:
        np.ndarray: The resampled array.
    """
    h, w = img.shape[:2]
    xs = np.arange(w, dtype=np.float32)[None] + dx
    ys = np.arange(h, dtype=np.float32)[:, None] + dy
    if inv_affine is not None:
        a = inv_affine.astype(np.float32)
        xs, ys = (a[0, 0] * xs + a[0, 1] * ys + a[0, 2],
                  a[1, 0] * xs + a[1, 1] * ys + a[1, 2])
    return cv2.remap(
        img, xs, ys, interpolation,
        borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def affine_matrix(shape: Tuple[int, int],
                  scale: Union[float, Tuple[float, float]], tx: float,
                  ty: float) -> np.ndarray:
    """2×3 matrix: scale about the image centre, then translate (pixels).

    Args:
        shape (tuple[int, int]): (H, W) of the image.
        scale (float | tuple[float, float]): One scale, or ``(sx, sy)``
            for the x and y axes (albumentations 1.x ``Affine`` draws them
            independently, as the official SBI code uses it).
        tx (float): x translation in pixels.
        ty (float): y translation in pixels.

    Returns:
        np.ndarray: (2, 3) float32 matrix for ``cv2.warpAffine``.
    """
    h, w = shape
    sx, sy = (scale, scale) if np.isscalar(scale) else scale
    cx, cy = (w - 1) / 2, (h - 1) / 2
    return np.array([[sx, 0, cx - sx * cx + tx], [0, sy, cy - sy * cy + ty]],
                    dtype=np.float32)


def letterbox_matrix(src_hw: Tuple[int, int],
                     dst_hw: Tuple[int, int]) -> np.ndarray:
    """Affine matrix fitting the longer side of ``src`` into ``dst``.

    The official LAA-Net geometry (``get_center_scale`` with aspect 1, then
    ``get_affine_transform`` with rotation 0; laanet-reference.md §3.8),
    which is *corner-aligned*: with ``L = max(w, h)`` and
    ``k = (W − 1)/(L − 1)``, ``x' = k·(x − (w − 1)/2) + (W − 1)/2`` and
    ``y' = k·(y − (h − 1)/2) + (H − 1)/2``. For a square crop of side s
    this is ``x' = x·(S − 1)/(s − 1)``: the corner pixel centres coincide.
    (The original HRNet form, scale S/s with the centre at S/2, is up to
    0.9 px off at one edge.)

    The matrix is built as the official code builds it, from float32
    centre, scale (``L/200``, multiplied back by 200) and three float32
    point pairs solved by ``cv2.getAffineTransform``: the float64 closed
    form differs by up to 1.4e-5, enough to move one edge row of
    OpenCV's fixed-point bilinear warp for some sizes (213 → 96, say).
    As in the official code, the vertical extent of the output is taken
    from its width (the outputs are square in every config).

    Args:
        src_hw (tuple[int, int]): (h, w) of the source.
        dst_hw (tuple[int, int]): (H, W) of the output.

    Returns:
        np.ndarray: (2, 3) float64 matrix for ``cv2.warpAffine``.
    """
    h, w = src_hw
    out_h, out_w = dst_hw
    pixel_std = 200
    centre = np.array([(w - 1) / 2, (h - 1) / 2], dtype=np.float32)
    src_side = np.float32(max(w, h) / pixel_std) * pixel_std
    dst_centre = np.array([(out_w - 1) * 0.5, (out_h - 1) * 0.5],
                          dtype=np.float32)
    src_up = centre + np.array([0, (src_side - 1) * -0.5], dtype=np.float32)
    dst_up = dst_centre + np.array([0, (out_w - 1) * -0.5], dtype=np.float32)

    def third(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        d = a - b
        return b + np.array([-d[1], d[0]], dtype=np.float32)

    src = np.stack([centre, src_up, third(centre, src_up)]).astype(np.float32)
    dst = np.stack([dst_centre, dst_up,
                    third(dst_centre, dst_up)]).astype(np.float32)
    return cv2.getAffineTransform(src, dst)
