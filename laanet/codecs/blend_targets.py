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


def run_lengths(binary: np.ndarray,
                ys: np.ndarray,
                xs: np.ndarray,
                wrap: bool = True) -> Tuple[np.ndarray, np.ndarray]:
    """Vertical and horizontal run lengths of ``binary`` through points.

    Each run is counted in both directions from the point, so the point
    itself is counted twice (as the official encoder does); a point outside
    the binary region gets 0.

    The official encoder walks up and left with negative indices, which
    wrap around the image: a run that reaches the top (left) border goes
    on from the bottom row (right column). ``wrap=True`` reproduces this
    (the default: it decides σ of such points); ``wrap=False`` stops every
    run at the border. Runs down and right always stop at the border.

    Args:
        binary (np.ndarray): (H, W) bool map.
        ys (np.ndarray): (P, ) rows.
        xs (np.ndarray): (P, ) columns.
        wrap (bool): Wrap the up / left runs around the top / left
            border. Defaults to True.

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
    up_run, left_run = up[ys, xs], left[ys, xs]
    if wrap:
        h, w = binary.shape
        # a run that reaches row 0 (column 0) goes on from the far border
        up_run = np.where(up_run == ys + 1, up_run + up[h - 1, xs], up_run)
        left_run = np.where(left_run == xs + 1, left_run + left[ys, w - 1],
                            left_run)
    vertical = up_run + down[ys, xs]
    horizontal = left_run + right[ys, xs]
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


def draw_gaussians(heatmap: np.ndarray,
                   ys: np.ndarray,
                   xs: np.ndarray,
                   sigmas: np.ndarray,
                   center: bool = False) -> None:
    """Merge unit-peak Gaussians at pixels (y, x) into ``heatmap`` with max.

    The default places each Gaussian as the official encoder does
    (HRNet-style windows with a float size): with ``t = 3σ`` the window
    spans ``[int(x − t), int(x + t + 1))`` (``int`` truncates toward zero)
    and holds ``exp(−((i − c)² + (j − c)²) / 2σ²)`` for window offsets
    i, j with ``c = (2t + 1) // 2``. For an interior point the peak lands
    at ``(x − 1, y − 1)`` whenever ``frac(t) < 0.5`` and at ``(x, y)``
    otherwise, and the window has one more row and column on its upper-left
    side; near the top/left border the truncation moves it again. This
    decides where the focal loss's positives are, so it is the default.
    Offsets past the official Gaussian's ``ceil(2t + 1)`` samples (where
    the official slicing would fail and the sample be redrawn) are left
    out.

    ``center=True`` centres every Gaussian exactly on its pixel instead, in
    a window of ``int(3σ)`` pixels on each side (a deliberate deviation:
    it moves about a third of the peaks by one pixel).

    Args:
        heatmap (np.ndarray): (H, W) float32, modified in place.
        ys (np.ndarray): (P, ) rows of the points.
        xs (np.ndarray): (P, ) columns of the points.
        sigmas (np.ndarray): (P, ) standard deviations in pixels.
        center (bool): Centre the peaks on the points. Defaults to False.
    """
    if len(ys) == 0:
        return
    h, w = heatmap.shape
    sigmas = np.asarray(sigmas, np.float64)
    tmp = 3 * sigmas

    def windows(centres: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """First pixel and length of each point's window on one axis."""
        centres = np.asarray(centres, np.int64)
        if center:
            rads = tmp.astype(np.int64)
            return centres - rads, 2 * rads + 1
        start = np.trunc(centres - tmp).astype(np.int64)
        stop = np.trunc(centres + tmp + 1).astype(np.int64)
        return start, np.minimum(stop - start,
                                 np.ceil(2 * tmp + 1).astype(np.int64))

    ul_y, len_y = windows(ys)
    ul_x, len_x = windows(xs)
    # the Gaussian's centre, as an offset into the window
    mid = tmp.astype(np.int64) if center else np.floor((2 * tmp + 1) / 2)
    big = int(max(len_y.max(), len_x.max()))
    off = np.arange(big)
    shape = (len(sigmas), big, big)
    yy = np.broadcast_to(ul_y[:, None, None] + off[None, :, None], shape)
    xx = np.broadcast_to(ul_x[:, None, None] + off[None, None, :], shape)
    keep = ((off[None, :, None] < len_y[:, None, None]) &
            (off[None, None, :] < len_x[:, None, None]) & (yy >= 0) &
            (yy < h) & (xx >= 0) & (xx < w))
    # float32 arithmetic on a float32 grid, as the official encoder
    d = off.astype(np.float32)[None] - mid.astype(np.float32)[:, None]
    two_var = (2 * sigmas**2).astype(np.float32)[:, None, None]
    g = np.exp(-(d[:, :, None]**2 + d[:, None, :]**2) / two_var)
    np.maximum.at(heatmap, (yy[keep], xx[keep]), g[keep])


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
        run_threshold: float = 128 / 255,
        center_peaks: bool = False,
        stop_runs_at_border: bool = False) -> Tuple[np.ndarray, np.ndarray]:
    """LAA-Net's heatmap and consistency targets from a boundary map.

    For each of the four quadrants, every pixel equal to the quadrant's
    maximum (when it is positive) is an artifact-prone point; each point
    gets a unit-peak Gaussian (merged with max, placed as
    :func:`draw_gaussians` says) with ``σ = r/3 + 1e-4``, ``r`` the
    CenterNet radius of the run lengths of ``B > 128/255`` through the
    point (:func:`run_lengths`). The consistency map of each quadrant with
    points is ``1 − |max(B) − B|``; other quadrants stay 0.

    On a uint8 map (the official representation) this reproduces the
    official encoder ("version 1") exactly.

    Args:
        boundary (np.ndarray): (h, w) boundary map B, uint8 (the official
            ``uint8(255·B)``; then values are divided by 255) or float in
            [0, 1] (then only exact float maxima tie).
        min_overlap (float): CenterNet minimum overlap. Defaults to 0.7.
        adaptive_sigma (bool): Per-point sigma from the run lengths; if
            False every point uses ``sigma``. Defaults to True.
        sigma (float): Fixed sigma. Defaults to 2.
        run_threshold (float): Threshold on B for the run lengths.
            Defaults to 128/255.
        center_peaks (bool): Centre each Gaussian on its point instead of
            the official placement. Defaults to False.
        stop_runs_at_border (bool): Stop the run lengths at the image
            border instead of wrapping around the top/left one (official).
            Defaults to False.

    Returns:
        tuple[np.ndarray, np.ndarray]: (h, w) float32 heatmap and
        consistency map.
    """
    quantized = boundary.dtype == np.uint8
    if quantized:
        values = boundary
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
        if quantized:
            consistency[qy, qx] = (255 - (global_max - block)) / 255.
        else:
            consistency[qy, qx] = 1 - np.abs(global_max - block)
    if all_ys:
        ys, xs = np.concatenate(all_ys), np.concatenate(all_xs)
        if adaptive_sigma:
            vert, horiz = run_lengths(binary, ys, xs,
                                      wrap=not stop_runs_at_border)
            sigmas = gaussian_radius_array(horiz, vert, min_overlap) / 3
            sigmas = sigmas + 1e-4
        else:
            sigmas = np.full(len(ys), sigma, np.float64)
        draw_gaussians(heatmap, ys, xs, sigmas, center=center_peaks)
    return heatmap, consistency
