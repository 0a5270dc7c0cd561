# Copyright (c) laanet contributors. All rights reserved.
"""Hulls, blend masks and blending: the functions behind SBI and BI.

Owns the face hull types and masks, the SBI blend mask M, the boundary
map B = 4M(1 - M) and the blend itself. The Face X-ray (BI) steps are in
``face_xray_utils``; landmark semantics, warps and the target codec have
their own modules (``landmark_utils``,
``warp_utils``, :mod:`laanet.codecs.blend_targets`).

Everything here is deterministic given its arguments (random draws happen
in the transforms' ``@cache_randomness`` methods), works on plain numpy
arrays and can be unit-tested on small arrays.

The methods follow the published descriptions of Face X-ray
(Li et al., CVPR 2020), Self-Blended Images (Shiohara and Yamasaki, CVPR
2022) and LAA-Net (Nguyen et al., CVPR 2024); the code is written from
those descriptions, not ported from their research-only implementations.
"""
from typing import List, Sequence, Tuple

import cv2
import numpy as np

HULL_TYPES = ('dfl_full', 'extended', 'components', 'facehull')


def _fill_hulls(shape: Tuple[int, int],
                groups: Sequence[np.ndarray]) -> np.ndarray:
    """Fill the convex hull of each integer point group into a binary
    float mask."""
    canvas = np.zeros(shape, dtype=np.uint8)
    for pts in groups:
        cv2.fillConvexPoly(canvas, cv2.convexHull(pts), 1)
    return canvas.astype(np.float32)


def _component_groups(lms: np.ndarray) -> List[np.ndarray]:
    """The eight facial-part point groups of the ``components`` hull."""

    def pts(*ranges):
        return np.concatenate([lms[a:b] for a, b in ranges])

    return [
        pts((0, 9), (17, 18)),  # right jaw
        pts((8, 17), (26, 27)),  # left jaw
        pts((17, 20), (8, 9)),  # right cheek
        pts((24, 27), (8, 9)),  # left cheek
        pts((19, 25), (8, 9)),  # nose ridge
        pts((17, 22), (27, 28), (31, 36), (8, 9)),  # right eye region
        pts((22, 27), (27, 28), (31, 36), (8, 9)),  # left eye region
        pts((27, 31), (31, 36)),  # nose
    ]


def raise_brows(landmarks: np.ndarray) -> np.ndarray:
    """Push each brow up by half its distance to the eye line below it.

    Used by the ``extended`` hull so that the mask covers the lower
    forehead. Everything is integer, as in the official hull: the
    midpoints and the raise are floor divisions.

    Args:
        landmarks (np.ndarray): (N, 2) int32, N >= 68.

    Returns:
        np.ndarray: An int32 copy with points 17..26 moved.
    """
    lms = np.array(landmarks, dtype=np.int32, copy=True)
    right_mid = (lms[36] + lms[0]) // 2
    left_mid = (lms[16] + lms[45]) // 2
    right_q = (lms[36] + right_mid) // 2
    left_q = (lms[45] + left_mid) // 2
    bottom_r = np.stack([right_q, lms[36], lms[37], lms[38], lms[39]])
    bottom_l = np.stack([lms[42], lms[43], lms[44], lms[45], left_q])
    top_r, top_l = lms[17:22].copy(), lms[22:27].copy()
    lms[17:22] = top_r + (top_r - bottom_r) // 2
    lms[22:27] = top_l + (top_l - bottom_l) // 2
    return lms


def hull_mask(landmarks: np.ndarray, shape: Tuple[int, int],
              hull_type: str) -> np.ndarray:
    """Rasterise one of the four face-hull masks, as the official SBI and
    BI code does.

    The landmarks are truncated to integers (``astype(int32)``) before any
    hull is built, ``extended``'s midpoints are integer too, and every hull
    is binary (the official ``facehull`` asks for anti-aliasing, which has
    no effect on its float canvas). Checked bit for bit against the
    official ``random_get_hull`` for all four types.

    Args:
        landmarks (np.ndarray): (N, 2) as (x, y), N = 68 or 81. Only
            ``facehull`` uses the forehead points of an 81-point set.
        shape (tuple[int, int]): (H, W) of the mask.
        hull_type (str): One of ``'dfl_full'`` (jaw + mouth, nose ridge,
            eyes + brows), ``'extended'`` (``components`` with raised
            brows), ``'components'`` (eight facial parts) or
            ``'facehull'`` (one hull of all points).

    Returns:
        np.ndarray: (H, W) float32 mask of 0 and 1.
    """
    lms = np.asarray(landmarks).astype(np.int32)
    if hull_type == 'dfl_full':
        groups = [
            np.concatenate([lms[0:17], lms[48:68], lms[[0, 8, 16]]]),
            np.concatenate([lms[27:31], lms[[33]]]),
            np.concatenate([lms[17:27], lms[[0, 27, 16, 33]]]),
        ]
        return _fill_hulls(shape, groups)
    if hull_type == 'components':
        return _fill_hulls(shape, _component_groups(lms))
    if hull_type == 'extended':
        return _fill_hulls(shape, _component_groups(raise_brows(lms)))
    if hull_type == 'facehull':
        return _fill_hulls(shape, [lms])
    raise ValueError(f'Unknown hull type {hull_type!r}; expected one of '
                     f'{HULL_TYPES}.')


def odd_kernel_blur(mask: np.ndarray, ksize: int,
                    sigma: float = 0.) -> np.ndarray:
    """Gaussian blur with a square odd kernel, then divide by the max."""
    out = cv2.GaussianBlur(mask, (ksize, ksize), sigma)
    peak = out.max()
    if peak <= 0:
        raise ValueError('The blend mask is empty (no pixel inside the '
                         'face hull).')
    return out / peak


def blend_mask(hull: np.ndarray, resize_hw: Tuple[int, int], ksize1: int,
               ksize2: int, sigma2: float) -> np.ndarray:
    """The soft SBI blend mask M from a hard hull mask.

    The mask is resized to ``resize_hw`` (size jitter), blurred with
    ``ksize1`` (automatic sigma) and cut to its fully-inside core (every
    value below the max becomes 0), blurred again with ``ksize2`` /
    ``sigma2``, max-normalised and resized back.

    The core is computed exactly and cheaply: a Gaussian kernel has
    positive weights over its whole ``ksize1``² window, so the blurred
    value equals the maximum exactly where the window lies inside the hull,
    i.e. the core is the erosion of ``hull >= 1`` by that window (the
    reference blurs in float64 and keeps the values equal to the max; when
    no window fits, that path is used).

    Args:
        hull (np.ndarray): (H, W) float mask in [0, 1].
        resize_hw (tuple[int, int]): Jittered (h', w').
        ksize1 (int): Odd kernel of the shrinking blur.
        ksize2 (int): Odd kernel of the softening blur.
        sigma2 (float): Sigma of the softening blur.

    Returns:
        np.ndarray: (H, W) float32 M in [0, 1] with max 1.
    """
    h, w = hull.shape[:2]
    m = cv2.resize(hull.astype(np.float32), (resize_hw[1], resize_hw[0]))
    core = cv2.erode((m >= 1).astype(np.uint8),
                     np.ones((ksize1, ksize1), np.uint8),
                     borderType=cv2.BORDER_REFLECT_101)
    if core.any():
        m = core.astype(np.float32)
    else:
        m = odd_kernel_blur(m.astype(np.float64), ksize1)
        m = (m >= 1).astype(np.float32)
    m = odd_kernel_blur(m, ksize2, sigma2)
    m = cv2.resize(m, (w, h))
    return np.clip(m, 0, 1)


def boundary_map(mask: np.ndarray) -> np.ndarray:
    """Face X-ray blending boundary ``B = 4 M (1 - M)``, in [0, 1]."""
    mask = mask.astype(np.float32)
    return 4 * mask * (1 - mask)


def blend(source: np.ndarray, target: np.ndarray, mask: np.ndarray,
          ratio: float = 1.) -> np.ndarray:
    """``ratio·M·source + (1 − ratio·M)·target``, truncated to uint8.

    Args:
        source (np.ndarray): (H, W, 3) uint8 foreground.
        target (np.ndarray): (H, W, 3) uint8 background.
        mask (np.ndarray): (H, W) float M in [0, 1].
        ratio (float): Blend ratio. Defaults to 1.

    Returns:
        np.ndarray: (H, W, 3) uint8.
    """
    alpha = (ratio * mask.astype(np.float32))[..., None]
    out = target.astype(np.float32)
    out += alpha * (source.astype(np.float32) - out)
    return out.astype(np.uint8)
