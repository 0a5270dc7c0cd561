# Copyright (c) laanet contributors. All rights reserved.
"""FakeSTormer's vulnerability masking and temporal targets, on arrays.

Re-implemented from the facts of fakestormer-reference §4.3 and §4.4
(official commit 896d035); the transforms
:class:`~laanet.datasets.transforms.VulnerabilityMask` and
:class:`~laanet.datasets.transforms.GenerateTemporalTargets` call these.
Randomness comes from ``np.random`` (numpy's global RNG, which MMEngine
seeds per worker), drawn in the official order, so a seeded call gives the
official cells.
"""
import math
from typing import List, Optional, Tuple

import numpy as np

#: Temporal target types (``max_normalized`` raises in the official code).
TEMPORAL_TARGET_TYPES = ('m_std_normalized', 'gaussian')


def select_vulnerable_cells(boundary: np.ndarray, fake_intensity: float,
                            mask_prob: float = 0.01
                            ) -> Tuple[np.ndarray, float, int]:
    """Choose the cells to black out from frame 0's boundary map (§4.3).

    ``f = min(fake_intensity, max(1, max B)/255)``; ``u = max(1, max of the
    cells below 255 f)``; the cells above ``u`` are selected, plus
    ``max(1, ceil(mask_prob·h·w − |S|))`` random cells among those below
    ``u`` (``np.random.choice`` without replacement, candidates in row-major
    order), or ``ceil(mask_prob·h·w)`` random cells anywhere when no cell
    is above ``u``.

    Args:
        boundary (np.ndarray): (h, w) uint8 boundary map of the fake's
            frame 0.
        fake_intensity (float): The clip's blend intensity (frame 0's).
        mask_prob (float): The official ``MASK_PROB``. Defaults to 0.01.

    Returns:
        tuple: ``kept`` (h, w) int64 (1 kept, 0 masked), ``f`` and ``u``.

    Raises:
        ValueError: Where the official code raises and resamples the clip:
            no cell below ``255 f`` (a uniform non-zero map), or no
            candidate left for the random cells.
    """
    bq = np.asarray(boundary)
    h, w = bq.shape
    f = min(fake_intensity, max(1, int(bq.max())) / 255)
    below = bq[bq < 255 * f]
    if below.size == 0:
        raise ValueError('vulnerability masking: no boundary cell lies below '
                         f'255*{f:.4f} (a uniform boundary map)')
    u = max(1, int(below.max()))
    selected = (bq > u).astype(np.int64)
    n_sel = int(selected.sum())
    if n_sel == 0:
        cells = np.random.choice(
            h * w, size=math.ceil(mask_prob * h * w), replace=False)
        ii, jj = np.divmod(cells, w)
    else:
        cand_i, cand_j = np.nonzero((selected == 0) & (bq < u))
        # the official guard (dead code for mask_prob 0.01, kept for others)
        if len(cand_i) < math.floor(mask_prob * h * w - n_sel):
            size = math.ceil(len(cand_i) * mask_prob)
        else:
            size = max(1, math.ceil(mask_prob * h * w - n_sel))
        if len(cand_i) == 0 or size == 0:
            raise ValueError('vulnerability masking: no cell left below the '
                             f'threshold {u} for the random cells')
        pick = np.random.choice(len(cand_i), size=size, replace=False)
        ii, jj = cand_i[pick], cand_j[pick]
    selected[ii, jj] = 1
    return 1 - selected, f, u


def mask_clip(imgs: List[np.ndarray], imgs_fake: List[np.ndarray],
              boundary_fake: np.ndarray, fake_intensity: float,
              mask_prob: float = 0.01) -> dict:
    """Black out the most vulnerable cells of a clip pair (§4.3).

    The cells come from frame 0 of the fake (:func:`select_vulnerable_cells`)
    and are blacked out (set to 0, uint8) in every frame of both clips, in
    place. Each fake frame's score is the largest visible boundary value
    ``u_t = max(1, max(B_t · kept))`` over 255, except frame 0, which gets
    the threshold ``f`` (and ``u_0 = u``); a fake frame with ``u_t = 1``
    (nothing visible) gets frame label 0. Per frame the official
    code calls the fake then the real, and each call draws one unused
    ``np.random.randint(0, 255)`` per masked cell; they are drawn here too,
    so a seeded run continues with the official random state.

    Args:
        imgs (list[np.ndarray]): T real (H, W, C) uint8 frames.
        imgs_fake (list[np.ndarray]): T fake frames.
        boundary_fake (np.ndarray): (T, h, w) uint8 boundary maps of the
            fake (the real's are zeros).
        fake_intensity (float): The clip's blend intensity.
        mask_prob (float): ``MASK_PROB``. Defaults to 0.01.

    Returns:
        dict: ``kept`` (h, w) int64, ``scores_fake`` (T,) float64,
        ``upper_fake`` (T,) int64, ``labels_fake`` (T,) int64.
    """
    bq = np.asarray(boundary_fake)
    t_len, h, w = bq.shape
    kept, f, u = select_vulnerable_cells(bq[0], fake_intensity, mask_prob)
    ii, jj = np.nonzero(kept == 0)
    np.random.randint(0, 255, size=2 * t_len * len(ii))  # official rand_val
    scores = np.empty(t_len, np.float64)
    upper = np.empty(t_len, np.int64)
    for t in range(t_len):
        upper[t] = max(1, int((bq[t].astype(np.int64) * kept).max()))
        scores[t] = upper[t] / 255
        for img in (imgs_fake[t], imgs[t]):
            ph, pw = img.shape[0] // h, img.shape[1] // w
            for i, j in zip(ii, jj):
                img[i * ph:(i + 1) * ph, j * pw:(j + 1) * pw] = 0
    scores[0], upper[0] = f, u
    return dict(
        kept=kept,
        scores_fake=scores,
        upper_fake=upper,
        labels_fake=(upper != 1).astype(np.int64))


def temporal_derivative(boundary: np.ndarray,
                        true_abs_diff: bool = False) -> np.ndarray:
    """Frame-to-frame change of uint8 boundary maps (§4.4, §8 item 3).

    Args:
        boundary (np.ndarray): (T, h, w) uint8 maps.
        true_abs_diff (bool): |B_t − B_{t−1}|. False (official): the uint8
            ``np.diff``, where a decrease wraps round to 256 − |Δ|.

    Returns:
        np.ndarray: (T − 1, h, w), uint8 (official) or int16.
    """
    boundary = np.asarray(boundary)
    if boundary.dtype != np.uint8:
        raise TypeError('temporal targets are computed on uint8 boundary '
                        f'maps, got {boundary.dtype}')
    if true_abs_diff:
        return np.abs(np.diff(boundary.astype(np.int16), axis=0))
    return np.diff(boundary, axis=0)


def encode_temporal_target(boundary: np.ndarray,
                           target_type: str = 'm_std_normalized',
                           sigma: float = 1.,
                           d_mean: Optional[float] = None,
                           d_std: Optional[float] = None,
                           true_abs_diff: bool = False
                           ) -> Tuple[np.ndarray, dict]:
    """The official temporal heatmap target of one clip (§4.4).

    ``D`` = :func:`temporal_derivative`, ``D0`` = a zero frame then ``D``.

    - ``m_std_normalized``: ``(D0 − μ)/σ`` with μ, σ the mean and std of
      ``D``, or the given ``d_mean``/``d_std`` (the real clip gets the
      fake's); as officially, a zero/None value falls back to the clip's
      own, and σ = 0 gives float32 zeros.
    - ``gaussian``: ``max_c exp(−|z − c|²/(2 (sigma/2)²))`` over the voxels
      ``c`` of ``D0`` equal to ``max(0.1, max D0)`` (none for a static
      clip: float32 zeros).

    Args:
        boundary (np.ndarray): (T, h, w) uint8 boundary maps.
        target_type (str): See above. Defaults to ``'m_std_normalized'``.
        sigma (float): The official ``SIGMA`` of ``gaussian``.
            Defaults to 1.
        d_mean (float, optional): μ to use (the fake's, for the real).
        d_std (float, optional): σ to use.
        true_abs_diff (bool): See :func:`temporal_derivative`.

    Returns:
        tuple: The heatmap (T, h, w) (float64, or float32 zeros) and the
        parameters for the real clip (``d_mean``, ``d_std``; empty for
        ``gaussian``).
    """
    if target_type not in TEMPORAL_TARGET_TYPES:
        raise ValueError(f'target_type must be one of {TEMPORAL_TARGET_TYPES}'
                         f', got {target_type!r}')
    d = temporal_derivative(boundary, true_abs_diff)
    t_len, h, w = boundary.shape
    heatmap = np.zeros((t_len, h, w), dtype=np.float32)
    d0 = np.concatenate((np.zeros_like(d[:1]), d), axis=0)
    if target_type == 'gaussian':
        z = np.arange(t_len, dtype=float)[:, None, None]
        y = np.arange(h, dtype=float)[:, None]
        x = np.arange(w, dtype=float)
        den = 2.0 * (sigma / 2)**2
        for i, j, k in zip(*np.nonzero(d0 == max(0.1, d0.max()))):
            g = np.exp(-(((z - i)**2) / den + ((y - j)**2) / den +
                         ((x - k)**2) / den))
            heatmap = np.maximum(g, heatmap)
        return heatmap, {}
    mean = d_mean or np.mean(d)
    std = d_std or np.std(d)
    if std != 0:
        heatmap = (d0 - mean) / std
    return heatmap, dict(d_mean=mean, d_std=std)
