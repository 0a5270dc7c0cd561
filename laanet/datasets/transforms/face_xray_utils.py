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
from typing import Tuple

import cv2
import numpy as np
from PIL import Image

PIL_FILTERS = dict(bilinear=Image.BILINEAR, nearest=Image.NEAREST)


def sk_resize(img: np.ndarray, shape: Tuple[int, int],
              to_uint8: bool = True) -> np.ndarray:
    """``skimage.transform.resize`` with ``preserve_range``, then uint8.

    Bilinear; on reduction scikit-image first blurs with a Gaussian of
    σ = (factor − 1) / 2 per axis. The cast truncates (the official code
    does not round), so each resize darkens by about half a grey level.

    Args:
        img (np.ndarray): (H, W[, C]) image or float map.
        shape (tuple[int, int]): Output (h, w).
        to_uint8 (bool): Truncate to uint8 (images); False returns the
            float64 result (the blend weights). Defaults to True.

    Returns:
        np.ndarray: The resized array.
    """
    from skimage.transform import resize
    if img.ndim == 3:
        # per channel (half the interpolation work of a 3-D zoom, same
        # values), clipped to the range of the whole image as skimage does
        out = np.stack([
            resize(img[..., c], tuple(shape), preserve_range=True,
                   clip=False) for c in range(img.shape[2])
        ], axis=-1)
        np.clip(out, img.min(), img.max(), out=out)
    else:
        out = resize(img, tuple(shape), preserve_range=True)
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
    [0, H − 1] × [0, W − 1]; a scikit-image ``PiecewiseAffineTransform``
    from the points to the destinations used as the inverse map of
    ``warp`` (bilinear, zero outside). If no jitter value is positive the
    mask is returned unchanged, as imgaug does.

    Args:
        mask (np.ndarray): (H, W) float mask.
        rows (int): Control-point rows (>= 2).
        cols (int): Control-point columns (>= 2).
        jitter (np.ndarray): (rows·cols, 2) offsets (y, x) as fractions
            of (H, W), row-major over the grid.

    Returns:
        np.ndarray: The deformed mask, same shape and dtype.
    """
    from skimage.transform import PiecewiseAffineTransform, warp
    h, w = mask.shape[:2]
    if not np.any(jitter > 0):
        return mask.copy()
    xx, yy = np.meshgrid(np.linspace(0, w, cols), np.linspace(0, h, rows))
    src = np.dstack([yy.flat, xx.flat])[0]
    dst = src.copy()
    dst[:, 0] = np.clip(dst[:, 0] + jitter[:, 0] * h, 0, h - 1)
    dst[:, 1] = np.clip(dst[:, 1] + jitter[:, 1] * w, 0, w - 1)
    if hasattr(PiecewiseAffineTransform, 'from_estimate'):  # >= 0.26
        tform = PiecewiseAffineTransform.from_estimate(
            src[:, ::-1], dst[:, ::-1])
    else:  # pragma: no cover - older scikit-image
        tform = PiecewiseAffineTransform()
        tform = tform if tform.estimate(src[:, ::-1], dst[:, ::-1]) else None
    if not tform:
        raise ValueError('the piecewise affine deformation is degenerate')
    out = warp(mask, _GroupedPiecewiseMap(tform), order=1, mode='constant',
               cval=0, preserve_range=True, output_shape=mask.shape)
    return out.astype(mask.dtype)


class _GroupedPiecewiseMap:
    """``PiecewiseAffineTransform.__call__`` with the points grouped.

    scikit-image selects each triangle's points with a boolean mask over
    all points; sorting them by triangle once is several times faster and
    applies each triangle's affine to the same rows in the same order, so
    the coordinates are bit-identical.
    """

    def __init__(self, tform) -> None:
        self.tform = tform

    def __call__(self, coords: np.ndarray) -> np.ndarray:
        tform = self.tform
        simplex = tform._tesselation.find_simplex(coords)
        out = np.full(coords.shape, -1, np.float64)
        order = np.argsort(simplex, kind='stable')
        bounds = np.searchsorted(simplex[order],
                                 np.arange(len(tform.affines) + 1))
        for index, affine in enumerate(tform.affines):
            rows = order[bounds[index]:bounds[index + 1]]
            if len(rows):
                out[rows] = affine(coords[rows])
        return out


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
    truncated to uint8; the pixels outside the mask are unchanged. The
    means are taken over each pixel three times, as the official code
    indexes with a 3-channel mask (the same float64 sums).

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
    mean_fg = np.repeat(fg_in, 3, axis=0).mean(axis=0)
    mean_bg = np.repeat(bg[inside].astype(np.int32), 3, axis=0).mean(axis=0)
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
