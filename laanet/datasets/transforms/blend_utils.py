# Copyright (c) laanet contributors. All rights reserved.
"""Pure functions behind the blending transforms.

Everything here is deterministic given its arguments (random draws happen
in the transforms' ``@cache_randomness`` methods), works on plain numpy
arrays and can be unit-tested on small arrays.

The methods follow the published descriptions of Face X-ray
(Li et al., CVPR 2020), Self-Blended Images (Shiohara and Yamasaki, CVPR
2022) and LAA-Net (Nguyen et al., CVPR 2024); the code is written from
those descriptions, not ported from their research-only implementations.
"""
from typing import List, Optional, Sequence, Tuple, Union

import cv2
import numpy as np

HULL_TYPES = ('dfl_full', 'extended', 'components', 'facehull')

# Order that puts dlib's 13 forehead points (68..80 of the 81-point model)
# along the contour, from the right temple to the left one.
FOREHEAD_CONTOUR_ORDER = (77, 75, 76, 68, 69, 70, 71, 80, 72, 73, 79, 74, 78)


def reorder_landmarks(landmarks: np.ndarray) -> np.ndarray:
    """Put the forehead points of an 81-point set in contour order.

    68-point sets are returned unchanged (as a copy).

    Args:
        landmarks (np.ndarray): (N, 2) landmarks, N = 68 or 81.

    Returns:
        np.ndarray: The reordered copy.
    """
    out = np.array(landmarks, copy=True)
    if len(out) > 68:
        out[68:81] = landmarks[list(FOREHEAD_CONTOUR_ORDER)]
    return out


def flip_index_map(num_points: int) -> np.ndarray:
    """Index map of a horizontal mirror for dlib landmarks.

    ``flipped[i] = mirrored(landmarks[idx[i]])``: the jaw, the brows, the
    lower nose, both mouth contours and (81 points, after
    :func:`reorder_landmarks`) the forehead are reversed; the eyes are
    swapped corner to corner; the nose bridge stays.

    Args:
        num_points (int): 68 or 81.

    Returns:
        np.ndarray: An involutive permutation of ``range(num_points)``.
    """
    if num_points not in (68, 81):
        raise ValueError(f'Flip maps exist for 68 or 81 landmarks, got '
                         f'{num_points}.')
    idx = np.arange(num_points)

    def reverse(start: int, stop: int) -> None:
        idx[start:stop] = np.arange(stop - 1, start - 1, -1)

    reverse(0, 17)  # jaw
    reverse(17, 27)  # brows
    reverse(31, 36)  # lower nose
    # eyes: 36..41 (outer, 2 upper, inner, 2 lower) mirror 42..47
    right_eye = [36, 37, 38, 39, 40, 41]
    left_eye = [45, 44, 43, 42, 47, 46]
    idx[right_eye] = left_eye
    idx[left_eye] = right_eye
    reverse(48, 55)  # outer lip, upper
    reverse(55, 60)  # outer lip, lower
    reverse(60, 65)  # inner lip, upper
    reverse(65, 68)  # inner lip, lower
    if num_points == 81:
        reverse(68, 81)  # forehead contour
    return idx


def hflip_landmarks(landmarks: np.ndarray,
                    width: int,
                    exact: bool = False) -> np.ndarray:
    """Mirror landmarks for an image flipped with ``cv2.flip(img, 1)``.

    Semantic indices are remapped with :func:`flip_index_map`. The pixel
    at column ``x`` moves to ``width - 1 - x``; the official SBI code maps
    the points to ``width - x``, one pixel to the right of the mirror, and
    that is the default because it places the hull of every flipped
    sample (``exact=True`` gives the true mirror).

    Args:
        landmarks (np.ndarray): (N, 2) as (x, y), N = 68 or 81.
        width (int): Image width.
        exact (bool): Map x to ``width - 1 - x``. Defaults to False
            (``width - x``, official).

    Returns:
        np.ndarray: The flipped landmarks.
    """
    out = landmarks[flip_index_map(len(landmarks))].astype(np.float32)
    out[:, 0] = width - int(exact) - out[:, 0]
    return out


def _fill_hulls(shape: Tuple[int, int], groups: Sequence[np.ndarray],
                line_type: int = cv2.LINE_8) -> np.ndarray:
    """Fill the convex hull of each point group into one float mask."""
    canvas = np.zeros(shape, dtype=np.uint8)
    for pts in groups:
        hull = cv2.convexHull(np.round(pts).astype(np.int32))
        cv2.fillConvexPoly(canvas, hull, 255, lineType=line_type)
    return canvas.astype(np.float32) / 255.


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
    forehead.

    Args:
        landmarks (np.ndarray): (N, 2), N >= 68.

    Returns:
        np.ndarray: A copy with points 17..26 moved.
    """
    lms = np.array(landmarks, dtype=np.float32, copy=True)
    right_mid = (lms[36] + lms[0]) / 2
    left_mid = (lms[16] + lms[45]) / 2
    right_q = (lms[36] + right_mid) / 2
    left_q = (lms[45] + left_mid) / 2
    bottom_r = np.stack([right_q, lms[36], lms[37], lms[38], lms[39]])
    bottom_l = np.stack([lms[42], lms[43], lms[44], lms[45], left_q])
    top_r, top_l = lms[17:22].copy(), lms[22:27].copy()
    lms[17:22] = top_r + np.floor((top_r - bottom_r) / 2)
    lms[22:27] = top_l + np.floor((top_l - bottom_l) / 2)
    return lms


def hull_mask(landmarks: np.ndarray, shape: Tuple[int, int],
              hull_type: str) -> np.ndarray:
    """Rasterise one of the four face-hull masks.

    Args:
        landmarks (np.ndarray): (N, 2) as (x, y), N = 68 or 81. Only
            ``facehull`` uses the forehead points of an 81-point set.
        shape (tuple[int, int]): (H, W) of the mask.
        hull_type (str): One of ``'dfl_full'`` (jaw + mouth, nose ridge,
            eyes + brows), ``'extended'`` (``components`` with raised
            brows), ``'components'`` (eight facial parts) or
            ``'facehull'`` (one anti-aliased hull of all points).

    Returns:
        np.ndarray: (H, W) float32 mask in [0, 1].
    """
    lms = np.asarray(landmarks, dtype=np.float32)
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
        return _fill_hulls(shape, [lms], line_type=cv2.LINE_AA)
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

    This is the HRNet-style centre/scale warp with ``aspect = 1`` and
    rotation 0: the centre ``((w − 1)/2, (h − 1)/2)`` maps to the output
    centre ``(W/2, H/2)`` and the longer side ``max(w, h)`` to the output
    width.

    Args:
        src_hw (tuple[int, int]): (h, w) of the source.
        dst_hw (tuple[int, int]): (H, W) of the output.

    Returns:
        np.ndarray: (2, 3) float64 matrix for ``cv2.warpAffine``.
    """
    h, w = src_hw
    out_h, out_w = dst_hw
    k = out_w / max(w, h)
    cx, cy = (w - 1) / 2, (h - 1) / 2
    return np.array([[k, 0, out_w / 2 - k * cx],
                     [0, k, out_h / 2 - k * cy]], dtype=np.float64)


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
    return float(min(r1, r2, r3))


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
    """Element-wise :func:`gaussian_radius` for arrays of box sizes."""
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


def draw_gaussian(heatmap: np.ndarray,
                  y: int,
                  x: int,
                  sigma: float,
                  center: bool = False) -> None:
    """Merge one unit-peak Gaussian at pixel (y, x), see
    :func:`draw_gaussians`."""
    draw_gaussians(heatmap, np.array([y]), np.array([x]), np.array([sigma]),
                   center)


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


def color_transfer(source: np.ndarray, target: np.ndarray,
                   mask: np.ndarray) -> np.ndarray:
    """Shift the source's mean colour inside ``mask`` to the target's.

    Args:
        source (np.ndarray): (H, W, 3) uint8 foreground.
        target (np.ndarray): (H, W, 3) uint8 background.
        mask (np.ndarray): (H, W) float, > 0 inside the region.

    Returns:
        np.ndarray: (H, W, 3) uint8 colour-corrected source.
    """
    inside = mask > 0
    if not inside.any():
        return source.copy()
    shift = (target[inside].astype(np.float32).mean(0) -
             source[inside].astype(np.float32).mean(0))
    out = source.astype(np.float32) + shift
    return np.clip(out, 0, 255).astype(np.uint8)


def feather_mask(mask: np.ndarray, feather: float = 0.2) -> np.ndarray:
    """Face X-ray feathered weights: distance to the hull edge, scaled.

    ``clip(d / (feather · face size), 0, 1)`` inside the mask, with d the
    distance to the nearest outside pixel and the face size the longer
    side of the mask's bounding box.

    Args:
        mask (np.ndarray): (H, W) mask, > 0 inside.
        feather (float): Feather amount. Defaults to 0.2.

    Returns:
        np.ndarray: (H, W) float32 weights in [0, 1].
    """
    inside = (mask > 0).astype(np.uint8)
    if not inside.any():
        raise ValueError('The blend mask is empty (no pixel inside the '
                         'face hull).')
    ys, xs = np.nonzero(inside)
    size = max(ys.max() - ys.min() + 1, xs.max() - xs.min() + 1)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    return np.clip(dist / (feather * size), 0, 1).astype(np.float32)


def grid_deform(mask: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Piecewise-bilinear deformation from control-point offsets.

    A coarse grid of control points (``offsets`` has shape
    (2, rows, cols), in pixels) is interpolated to a dense displacement
    field; this approximates imgaug's ``PiecewiseAffine`` used by Face
    X-ray at a fraction of the cost.

    Args:
        mask (np.ndarray): (H, W) float mask.
        offsets (np.ndarray): (2, rows, cols) float32 (dx, dy).

    Returns:
        np.ndarray: (H, W) deformed mask (bilinear sampling).
    """
    h, w = mask.shape[:2]
    dx = cv2.resize(offsets[0], (w, h), interpolation=cv2.INTER_LINEAR)
    dy = cv2.resize(offsets[1], (w, h), interpolation=cv2.INTER_LINEAR)
    return remap(mask, dx, dy, cv2.INTER_LINEAR)


def erode_dilate(mask: np.ndarray, erode: bool, ksize: int) -> np.ndarray:
    """Erode or dilate a mask with a square kernel."""
    kernel = np.ones((ksize, ksize), np.uint8)
    op = cv2.erode if erode else cv2.dilate
    return op(mask, kernel, iterations=1)


def describe_failure(results: dict, problem: str) -> str:
    """An error message naming the sample's file."""
    path: Optional[str] = results.get('img_path')
    return f'{problem} (file: {path})'


def view_suffixes(results: dict) -> List[str]:
    """Key suffixes of the views a sample carries.

    A pair (from :class:`SelfBlend` with ``pair=True``) carries the real
    view under plain keys (``img``, ``boundary_map``, ...) and the fake one
    under ``*_fake`` keys; a single sample only has the plain keys.

    Args:
        results (dict): The pipeline's result dict.

    Returns:
        list[str]: ``['', '_fake']`` for a pair, ``['']`` otherwise.
    """
    return ['', '_fake'] if 'img_fake' in results else ['']
