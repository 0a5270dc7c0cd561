# Copyright (c) laanet contributors. All rights reserved.
"""The Face X-ray (BI) synthesis steps, as the official LAA-Net BI runs them.

Each function is one deterministic step of the official BI sample
(laanet-reference §3.6), re-implemented from its description and checked
against the official intermediates of one sample
(``tests/data/official_bi_steps.npz``):

- :func:`sk_resize`: the working-size resizes (scikit-image, anti-aliased
  on reduction, truncated to uint8: the source of the official fakes'
  global darkening);
- :func:`piecewise_affine`: imgaug 0.4's ``PiecewiseAffine`` deformation
  for given draws (:func:`draw_piecewise_affine` draws them);
- :func:`binary_erode_dilate`, :func:`masked_color_transfer`,
  :func:`hull_feather_weights` and :func:`feathered_blend`: the rest of
  ``_gen_BI``;
- :func:`pil_resize`: the down/up-sampling of ``_gen_target``.

The random draws happen in :class:`~.BlendImages`; everything here is a
plain function of numpy arrays.
"""
from typing import Optional, Tuple

import cv2
import numpy as np
from PIL import Image

PIL_FILTERS = dict(bilinear=Image.BILINEAR, nearest=Image.NEAREST)


def sk_resize(img: np.ndarray,
              shape: Tuple[int, int],
              to_uint8: bool = True,
              window: Optional[Tuple[int, int, int, int]] = None
              ) -> np.ndarray:
    """``skimage.transform.resize(…, preserve_range=True)``, then uint8.

    Bilinear; on reduction scikit-image first blurs with a Gaussian of
    σ = (factor − 1) / 2 per axis. The cast truncates (the official code
    does not round), so each resize darkens by about half a grey level.
    The steps of scikit-image 0.26's ``resize`` are run here per channel
    (scipy's ``gaussian_filter``, then the bilinear ``zoom`` sampling with
    mirror borders, then a clip to the input's range): the same values,
    several times faster than its 3-D zoom over the channel axis.

    Args:
        img (np.ndarray): (H, W[, C]) image or float map.
        shape (tuple[int, int]): Output (h, w).
        to_uint8 (bool): Truncate to uint8 (images); False returns the
            float64 result (the blend weights). Defaults to True.
        window (tuple[int, int, int, int], optional): Compute only the
            output rows ``y0:y1`` and columns ``x0:x1`` of
            ``(y0, y1, x0, x1)`` (the same values as the full resize
            there). Defaults to None (all).

    Returns:
        np.ndarray: The resized array (the window only, if given).
    """
    from scipy import ndimage as ndi
    shape = tuple(int(v) for v in shape)
    y0, y1, x0, x1 = window or (0, shape[0], 0, shape[1])
    factors = np.divide(img.shape[:2], shape)
    sigma = np.maximum(0, (factors - 1) / 2)
    if window is None:
        crops, grid = (slice(None), slice(None)), None
    else:
        # the sampling coordinates of scipy's zoom (grid mode), sampled
        # with map_coordinates from the input rows / columns they need
        # (plus the Gaussian's reach)
        coords, crops = [], []
        for n_in, n_out, k0, k1, s in zip(img.shape[:2], shape, (y0, x0),
                                          (y1, x1), sigma):
            reach = int(4.0 * s + 0.5) if s > 0 else 0
            cc = (np.arange(k0, k1, dtype=np.float64) + 0.5) * (
                n_in / n_out) - 0.5
            lo = max(0, int(np.floor(cc.min())) - reach - 2)
            hi = min(n_in, int(np.floor(cc.max())) + reach + 3)
            coords.append(cc - lo)
            crops.append(slice(lo, hi))
        grid = np.meshgrid(coords[0], coords[1], indexing='ij')
    part = img[crops[0], crops[1]]
    planes = np.moveaxis(part.reshape(part.shape[:2] + (-1, )), -1, 0)
    planes = planes.astype(np.float64)
    out = np.empty((len(planes), y1 - y0, x1 - x0), np.float64)
    for plane, dst in zip(planes, out):
        if (factors > 1).any():  # anti-aliasing on reduction
            plane = ndi.gaussian_filter(plane, sigma, cval=0,
                                        mode='mirror')
        if grid is None:
            ndi.zoom(plane, 1 / factors, output=dst, order=1,
                     mode='mirror', cval=0, grid_mode=True)
        else:
            ndi.map_coordinates(plane, grid, output=dst, order=1,
                                mode='mirror', prefilter=False)
    np.clip(out, img.min(), img.max(), out=out)
    out = np.moveaxis(out, 0, -1).reshape((y1 - y0, x1 - x0) +
                                          img.shape[2:])
    return out.astype(np.uint8) if to_uint8 else out


def draw_piecewise_affine(rng: np.random.RandomState,
                          grid: Tuple[int, int] = (2, 4),
                          scale: Tuple[float, float] = (0.01, 0.15)) -> dict:
    """Draw the random parameters of one ``PiecewiseAffine`` deformation.

    imgaug 0.4's ``PiecewiseAffine(scale=(0.01, 0.15))``: the number of
    control-point rows and of columns, each uniform in ``grid`` (inclusive),
    one σ uniform in ``scale`` per image, and a N(0, σ) jitter per point and
    axis, as a fraction of the image height (y) or width (x).

    Args:
        rng (np.random.RandomState): The generator (``np.random`` in the
            transforms).
        grid (tuple[int, int]): Inclusive range of rows and of columns.
            Defaults to (2, 4), imgaug's.
        scale (tuple[float, float]): Range of σ. Defaults to (0.01, 0.15).

    Returns:
        dict: ``rows``, ``cols`` and ``jitter`` ((rows·cols, 2), (y, x)).
    """
    rows = int(rng.randint(grid[0], grid[1] + 1))
    cols = int(rng.randint(grid[0], grid[1] + 1))
    sigma = rng.uniform(*scale)
    jitter = rng.normal(0., sigma, (rows * cols, 2))
    return dict(rows=rows, cols=cols, jitter=jitter)


def piecewise_affine(mask: np.ndarray, rows: int, cols: int,
                     jitter: np.ndarray) -> np.ndarray:
    """imgaug 0.4's ``PiecewiseAffine`` applied to a mask, for given draws.

    Control points at ``linspace(0, H, rows)`` × ``linspace(0, W, cols)``
    (the borders included, the last row and column one pixel beyond the
    image); destinations = points + jitter·(H, W), clipped to
    [0, H − 1] × [0, W − 1]. The map is piecewise affine over the Delaunay
    triangles of the control points (scikit-image's
    ``PiecewiseAffineTransform``, the points to the destinations) and is
    used as the inverse map of the warp: the output at a control point
    samples the input at its destination, bilinearly (scipy's
    ``map_coordinates``, order 1, zero outside, clipped to the input's
    range as scikit-image's ``warp`` does). If no jitter value is positive
    the mask is returned unchanged, as imgaug does.

    The triangles' affines are solved directly instead of by
    scikit-image's least-squares estimate, so the sampling coordinates can
    differ from imgaug's in the last bits (the same map), and only the
    output window that can reach the mask is computed (the rest is 0).

    Args:
        mask (np.ndarray): (H, W) float mask.
        rows (int): Control-point rows (>= 2).
        cols (int): Control-point columns (>= 2).
        jitter (np.ndarray): (rows·cols, 2) offsets (y, x) as fractions
            of (H, W), row-major over the grid.

    Returns:
        np.ndarray: The deformed mask, same shape and dtype.
    """
    if not np.any(jitter > 0):
        return mask.copy()
    # dozens of tiny LAPACK solves: a multi-threaded BLAS (the default in a
    # DataLoader worker of a single-process run) stalls them for 20-400 ms
    # on a loaded machine; one thread costs nothing here
    from threadpoolctl import threadpool_limits
    with threadpool_limits(limits=1, user_api='blas'):
        return _piecewise_affine(mask, rows, cols, jitter)


def _piecewise_affine(mask: np.ndarray, rows: int, cols: int,
                      jitter: np.ndarray) -> np.ndarray:
    from scipy.ndimage import map_coordinates
    from scipy.spatial import Delaunay
    h, w = mask.shape[:2]
    xx, yy = np.meshgrid(np.linspace(0, w, cols), np.linspace(0, h, rows))
    src = np.stack([xx.ravel(), yy.ravel()], 1)
    dst = np.stack([
        np.clip(xx.ravel() + jitter[:, 1] * w, 0, w - 1),
        np.clip(yy.ravel() + jitter[:, 0] * h, 0, h - 1)
    ], 1)
    tess = Delaunay(src)
    tri = tess.simplices
    # per triangle: [x, y, 1] @ A = [x', y']
    homog = np.concatenate([src[tri], np.ones(tri.shape + (1, ))], axis=2)
    affine = np.linalg.solve(homog, dst[tri])
    (y0, y1), (x0, x1) = _output_window(mask, src, tri, affine)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    pts = np.stack([xs.ravel(), ys.ravel()], 1).astype(np.float64)
    simplex = tess.find_simplex(pts)
    a = affine[simplex]
    mx = pts[:, 0] * a[:, 0, 0] + pts[:, 1] * a[:, 1, 0] + a[:, 2, 0]
    my = pts[:, 0] * a[:, 0, 1] + pts[:, 1] * a[:, 1, 1] + a[:, 2, 1]
    out = np.zeros((h, w), np.float64)
    out[y0:y1, x0:x1] = map_coordinates(
        mask.astype(np.float64),
        [my.reshape(ys.shape), mx.reshape(xs.shape)],
        order=1,
        mode='constant',
        cval=0.,
        prefilter=False)
    np.clip(out, min(mask.min(), 0), max(mask.max(), 0), out=out)
    return out.astype(mask.dtype)


def _output_window(mask: np.ndarray, src: np.ndarray, tri: np.ndarray,
                   affine: np.ndarray) -> tuple:
    """Output rows and columns outside which the warped mask is 0.

    An output pixel can be non-zero only if it samples within one pixel
    of the mask's non-zero box; per triangle, the pixels that do lie in
    the preimage of that box (a parallelogram) and in the triangle, so the
    union of the bounding boxes of both bounds them (conservatively, plus
    a margin). The whole image when a triangle's map is singular.
    """
    h, w = mask.shape[:2]
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return (0, 0), (0, 0)
    bx0, bx1, by0, by1 = xs.min() - 1, xs.max() + 1, ys.min() - 1, ys.max() + 1
    box = np.array([[bx0, by0], [bx1, by0], [bx0, by1], [bx1, by1]],
                   np.float64)
    lo, hi = np.array([w, h], np.float64), np.zeros(2)
    for corners, aff in zip(src[tri], affine):
        lin = aff[:2]
        if abs(np.linalg.det(lin)) < 1e-9:
            return (0, h), (0, w)
        pre = np.linalg.solve(lin.T, (box - aff[2]).T).T
        t_lo = np.maximum(pre.min(0), corners.min(0))
        t_hi = np.minimum(pre.max(0), corners.max(0))
        if (t_lo <= t_hi).all():
            lo, hi = np.minimum(lo, t_lo), np.maximum(hi, t_hi)
    if (lo > hi).any():
        return (0, 0), (0, 0)
    x0, y0 = np.clip(np.floor(lo).astype(int) - 2, 0, None)
    x1 = int(min(w, np.ceil(hi[0]) + 3))
    y1 = int(min(h, np.ceil(hi[1]) + 3))
    return (int(y0), y1), (int(x0), x1)


def binary_erode_dilate(mask: np.ndarray, erode: bool,
                        ksize: int) -> np.ndarray:
    """Binarise, then erode or dilate with a ``ksize``² square.

    The official ``random_erode_dilate`` first casts the float mask to
    uint8, so only pixels exactly 1.0 survive (the interpolated edge of
    the deformation is dropped).

    Args:
        mask (np.ndarray): (H, W) float mask in [0, 1].
        erode (bool): Erode (True) or dilate.
        ksize (int): Kernel side (1 is a no-op).

    Returns:
        np.ndarray: (H, W) float32 0/1 mask.
    """
    binary = mask.astype(np.uint8)
    kernel = np.ones((ksize, ksize), np.uint8)
    op = cv2.erode if erode else cv2.dilate
    return op(binary, kernel).astype(np.float32)


def masked_color_transfer(fg: np.ndarray, bg: np.ndarray,
                          mask: np.ndarray) -> np.ndarray:
    """Shift the foreground's mean colour inside the mask to the background's.

    Official ``colorTransfer(bg, fg, mask)``: per channel, over the mask
    pixels (``mask != 0``), ``clip(fg − mean(fg) + mean(bg), 0, 255)``
    truncated to uint8; the pixels outside the mask are unchanged.

    Args:
        fg (np.ndarray): (H, W, 3) uint8 foreground (the partner).
        bg (np.ndarray): (H, W, 3) uint8 background (the frame).
        mask (np.ndarray): (H, W) mask, non-zero inside.

    Returns:
        np.ndarray: (H, W, 3) uint8 colour-corrected foreground.
    """
    inside = mask != 0
    out = fg.copy()
    if not inside.any():
        return out
    fg_in = fg[inside].astype(np.int32)
    # integer sums are exact in float64, so these means equal the official
    # ones taken over each pixel three times
    mean_fg = fg_in.mean(axis=0)
    mean_bg = bg[inside].astype(np.int32).mean(axis=0)
    out[inside] = np.clip(fg_in - mean_fg + mean_bg, 0, 255)
    return out


def hull_feather_weights(mask: np.ndarray, feather: float = 0.2) -> np.ndarray:
    """Face X-ray's feathered blend weights M.

    The official ``blendImages``: for each mask pixel, d = the distance to
    the boundary of the **convex hull of the mask pixels** (what
    ``cv2.pointPolygonTest(hull, pixel, True)`` returns), and
    ``M = clip(d / (feather · max(max − min of the pixel coordinates)),
    0, 1)``; 0 outside the mask. Inside a convex polygon the distance to
    its boundary is the smallest distance to the lines of its edges, which
    is computed here for all pixels at once, with OpenCV's formula
    (``cross² / |edge|²``).

    Args:
        mask (np.ndarray): (H, W) mask, non-zero inside.
        feather (float): Feather amount. Defaults to 0.2.

    Returns:
        np.ndarray: (H, W) float64 M in [0, 1].

    Raises:
        ValueError: The mask is empty.
    """
    ys, xs = np.nonzero(mask)
    if not len(ys):
        raise ValueError('The blend mask is empty (no pixel left after the '
                         'deformation and erosion).')
    size = max(ys.max() - ys.min(), xs.max() - xs.min())
    pts = np.stack([xs, ys], 1).astype(np.int32)
    hull = cv2.convexHull(pts)[:, 0].astype(np.float64)
    px, py = xs.astype(np.float64), ys.astype(np.float64)
    best = np.full(len(px), np.inf)
    for (x0, y0), (x1, y1) in zip(np.roll(hull, 1, axis=0), hull):
        dx, dy = x1 - x0, y1 - y0
        cross = (py - y0) * dx - (px - x0) * dy
        np.minimum(best, cross * cross / (dx * dx + dy * dy), out=best)
    weights = np.zeros(mask.shape[:2], np.float64)
    if size > 0:
        weights[ys, xs] = np.clip(np.sqrt(best) / (feather * size), 0, 1)
    return weights


def feathered_blend(fg: np.ndarray, bg: np.ndarray,
                    weights: np.ndarray) -> np.ndarray:
    """``M·fg + (1 − M)·bg`` at the pixels with M > 0, float64, then uint8.

    Args:
        fg (np.ndarray): (H, W, 3) uint8 foreground.
        bg (np.ndarray): (H, W, 3) uint8 background.
        weights (np.ndarray): (H, W) float64 M.

    Returns:
        np.ndarray: (H, W, 3) uint8, truncated.
    """
    out = bg.copy()
    inside = weights > 0
    w = weights[inside][:, None]
    out[inside] = w * fg[inside] + (1 - w) * bg[inside]
    return out


def pil_resize(img: np.ndarray, size: Tuple[int, int],
               interp: str = 'bilinear') -> np.ndarray:
    """Resize with PIL (``Image.resize``) to ``size = (w, h)``.

    PIL's bilinear filter is anti-aliased on reduction; its nearest
    samples pixel centres (``cv2.INTER_NEAREST_EXACT``).

    Args:
        img (np.ndarray): (H, W, 3) uint8.
        size (tuple[int, int]): Output (w, h).
        interp (str): ``'bilinear'`` or ``'nearest'``.
            Defaults to ``'bilinear'``.

    Returns:
        np.ndarray: The resized uint8 image.
    """
    if tuple(size) == (img.shape[1], img.shape[0]):
        return img
    return np.asarray(
        Image.fromarray(img).resize(tuple(size), PIL_FILTERS[interp]))
