# Copyright (c) laanet contributors. All rights reserved.
"""Landmark semantics: dlib 68/81-point order and horizontal mirroring.

Owns the index maps of the landmark layouts (forehead contour order,
mirror map) and the functions that apply them; nothing else in laanet
encodes which landmark index is which.
"""
import numpy as np


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


def damp_landmark_jumps(landmarks: np.ndarray,
                        threshold: float = 0.35,
                        step: float = 0.2) -> np.ndarray:
    """Damp frame-to-frame jumps of a landmark track (FakeSTormer).

    For t > 0, with ``L̂`` the damped track, ``d = ‖L_t − L̂_{t−1}‖_F / N``
    (N points). If ``d > threshold``, the frame moves only part of the
    way, ``L̂_t = L̂_{t−1} + (L_t − L̂_{t−1}) / round(d / step)``;
    otherwise ``L̂_t = L_t``. With the defaults, a uniform shift of δ px
    of 81 points (d = δ/9) is damped above about 3.2 px and divided by
    ``round(δ/1.8)``. ``round`` is NumPy's (halves to even), as the
    official code rounds a NumPy float.

    Args:
        landmarks (np.ndarray): (T, N, 2) landmarks of consecutive frames.
        threshold (float): Mean per-point jump (Frobenius norm over N)
            above which a frame is damped. Defaults to 0.35.
        step (float): The jump is divided by ``round(d / step)``.
            Defaults to 0.2.

    Returns:
        np.ndarray: (T, N, 2) float64 damped landmarks (frame 0 unchanged).
    """
    track = np.array(landmarks, dtype=np.float64, copy=True)
    if track.ndim != 3 or track.shape[-1] != 2:
        raise ValueError('landmarks must be (T, N, 2), got shape '
                         f'{track.shape}.')
    for t in range(1, len(track)):
        jump = track[t] - track[t - 1]
        d = np.linalg.norm(jump) / len(jump)
        if d > threshold:
            track[t] = track[t - 1] + jump / np.round(d / step)
    return track
