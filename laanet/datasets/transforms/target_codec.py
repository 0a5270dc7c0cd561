# Copyright (c) laanet contributors. All rights reserved.
"""The CenterNet-style target codec of LAA-Net: boundary map B to
heatmap and consistency targets.

Owns the Gaussian radius, the run lengths through a point, the Gaussian
drawing, the uint8 quantisation of B and :func:`encode_blend_targets`.
"""
from typing import Tuple

import numpy as np


def gaussian_radius(det_size: Tuple[float, float],
                    min_overlap: float = 0.7) -> float:
    """CenterNet's Gaussian radius for a box of ``det_size = (h, w)``.

    The smallest of the three radii solving the overlap quadratics, in the
    form used by CenterNet and LAA-Net (each root divided by 2).

    Args:
        det_size (tuple[float, float]): (h, w) of the box.
        min_overlap (float): Minimum IoU. Defaults to 0.7.

    Returns:
        float: The radius (0 for an empty box).
    """
    h, w = det_size
    return float(gaussian_radius_array(h, w, min_overlap))


def run_lengths(binary: np.ndarray, ys: np.ndarray,
                xs: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Vertical and horizontal run lengths of ``binary`` through points.

    Each run is counted in both directions from the point, so the point
    itself is counted twice (as the official encoder does); a point outside
    the binary region gets 0. Runs stop at the image border (the official
    code wraps around at the top/left border; that is not reproduced).

    Args:
        binary (np.ndarray): (H, W) bool map.
        ys (np.ndarray): (P, ) rows.
        xs (np.ndarray): (P, ) columns.

    Returns:
        tuple[np.ndarray, np.ndarray]: ``(vertical, horizontal)``, (P, )
        int arrays.
    """

    def runs_from_start(b: np.ndarray) -> np.ndarray:
        # consecutive True ending at each index along axis 0, inclusive
        n = b.shape[0]
        idx = np.arange(n)[:, None]
        last_false = np.maximum.accumulate(np.where(b, -1, idx), axis=0)
        return np.where(b, idx - last_false, 0)

    up = runs_from_start(binary)
    down = runs_from_start(binary[::-1])[::-1]
    left = runs_from_start(binary.T).T
    right = runs_from_start(binary.T[::-1])[::-1].T
    vertical = up[ys, xs] + down[ys, xs]
    horizontal = left[ys, xs] + right[ys, xs]
    return vertical, horizontal


def gaussian_radius_array(h: np.ndarray, w: np.ndarray,
                          min_overlap: float = 0.7) -> np.ndarray:
    """CenterNet's Gaussian radius (see :func:`gaussian_radius`) for arrays
    of box heights and widths."""
    h = np.asarray(h, np.float64)
    w = np.asarray(w, np.float64)
    b1 = h + w
    c1 = w * h * (1 - min_overlap) / (1 + min_overlap)
    r1 = (b1 + np.sqrt(b1**2 - 4 * c1)) / 2
    b2 = 2 * (h + w)
    c2 = (1 - min_overlap) * w * h
    r2 = (b2 + np.sqrt(b2**2 - 16 * c2)) / 2
    a3 = 4 * min_overlap
    b3 = -2 * min_overlap * (h + w)
    c3 = (min_overlap - 1) * w * h
    r3 = (b3 + np.sqrt(b3**2 - 4 * a3 * c3)) / 2
    return np.minimum(np.minimum(r1, r2), r3)


def draw_gaussians(heatmap: np.ndarray, ys: np.ndarray, xs: np.ndarray,
                   sigmas: np.ndarray) -> None:
    """Merge unit-peak Gaussians centred on pixels (y, x) with max.

    Each window spans ``int(3σ)`` pixels on each side and is clipped to the
    map, so every peak is exactly 1.0 at its pixel.

    Args:
        heatmap (np.ndarray): (H, W) float32, modified in place.
        ys (np.ndarray): (P, ) rows of the peaks.
        xs (np.ndarray): (P, ) columns of the peaks.
        sigmas (np.ndarray): (P, ) standard deviations in pixels.
    """
    if len(ys) == 0:
        return
    h, w = heatmap.shape
    sigmas = np.asarray(sigmas, np.float64)
    rads = (3 * sigmas).astype(np.int64)
    big = rads.max()
    off = np.arange(-big, big + 1)
    dy = off[None, :, None]
    dx = off[None, None, :]
    rad = rads[:, None, None]
    shape = (len(ys), 2 * big + 1, 2 * big + 1)
    yy = np.broadcast_to(ys[:, None, None] + dy, shape)
    xx = np.broadcast_to(xs[:, None, None] + dx, shape)
    keep = ((np.abs(dy) <= rad) & (np.abs(dx) <= rad) & (yy >= 0) &
            (yy < h) & (xx >= 0) & (xx < w))
    g = np.broadcast_to(
        np.exp(-(dx**2 + dy**2) / (2 * sigmas[:, None, None]**2)), shape)
    np.maximum.at(heatmap, (yy[keep], xx[keep]), g[keep].astype(np.float32))


def quantize_boundary(boundary: np.ndarray) -> np.ndarray:
    """``uint8(255·B)`` with truncation, as the official pipeline stores it.

    Args:
        boundary (np.ndarray): Float map in [0, 1] (or already uint8).

    Returns:
        np.ndarray: uint8 map.
    """
    if boundary.dtype == np.uint8:
        return boundary
    return (np.clip(boundary, 0, 1) * 255).astype(np.uint8)


def encode_blend_targets(
        boundary: np.ndarray,
        min_overlap: float = 0.7,
        adaptive_sigma: bool = True,
        sigma: float = 2.,
        run_threshold: float = 128 / 255) -> Tuple[np.ndarray, np.ndarray]:
    """LAA-Net's heatmap and consistency targets from a boundary map.

    For each of the four quadrants, every pixel equal to the quadrant's
    maximum (when it is positive) is an artifact-prone point; each point
    gets a unit-peak Gaussian (merged with max) with ``σ = r/3 + 1e-4``,
    ``r`` the CenterNet radius of the run lengths of ``B > 128/255``
    through the point. The consistency map of each quadrant with points is
    ``1 − |max(B) − B|``; other quadrants stay 0.

    Args:
        boundary (np.ndarray): (h, w) boundary map B, float in [0, 1] or
            uint8 (then values are divided by 255; quantise first to get
            the official ties).
        min_overlap (float): CenterNet minimum overlap. Defaults to 0.7.
        adaptive_sigma (bool): Per-point sigma from the run lengths; if
            False every point uses ``sigma``. Defaults to True.
        sigma (float): Fixed sigma. Defaults to 2.
        run_threshold (float): Threshold on B for the run lengths.
            Defaults to 128/255.

    Returns:
        tuple[np.ndarray, np.ndarray]: (h, w) float32 heatmap and
        consistency map.
    """
    if boundary.dtype == np.uint8:
        values = boundary.astype(np.float32) / 255.
        binary = boundary > round(run_threshold * 255)
    else:
        values = boundary.astype(np.float32)
        binary = values > run_threshold
    h, w = values.shape
    heatmap = np.zeros((h, w), dtype=np.float32)
    consistency = np.zeros((h, w), dtype=np.float32)
    global_max = values.max()
    hh, hw = h // 2, w // 2
    quadrants = [(slice(0, hh), slice(0, hw)), (slice(hh, h), slice(0, hw)),
                 (slice(0, hh), slice(hw, w)), (slice(hh, h), slice(hw, w))]
    all_ys, all_xs = [], []
    for qy, qx in quadrants:
        block = values[qy, qx]
        peak = block.max()
        if peak <= 0:
            continue
        ys, xs = np.nonzero(block == peak)
        all_ys.append(ys + qy.start)
        all_xs.append(xs + qx.start)
        consistency[qy, qx] = 1 - np.abs(global_max - block)
    if all_ys:
        ys, xs = np.concatenate(all_ys), np.concatenate(all_xs)
        if adaptive_sigma:
            vert, horiz = run_lengths(binary, ys, xs)
            sigmas = gaussian_radius_array(horiz, vert, min_overlap) / 3
            sigmas = sigmas + 1e-4
        else:
            sigmas = np.full(len(ys), sigma, np.float64)
        draw_gaussians(heatmap, ys, xs, sigmas)
    return heatmap, consistency
