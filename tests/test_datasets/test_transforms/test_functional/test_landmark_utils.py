# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.datasets.transforms.functional.landmark_utils import (
    damp_landmark_jumps, reorder_landmarks)


def _track(shifts, num_points=81):
    """A face of ``num_points`` points shifted by ``shifts[t]`` at frame t."""
    base = np.random.RandomState(0).uniform(50, 200, (num_points, 2))
    return np.stack([base + s for s in np.asarray(shifts, float)]), base


def test_small_jumps_are_kept():
    # a uniform shift of δ px moves every point by δ: d = δ·√81/81 = δ/9
    lms, _ = _track([(0, 0), (3, 0), (3, 3.1), (2, 1)])
    np.testing.assert_array_equal(damp_landmark_jumps(lms), lms)


def test_large_jump_divided_by_rounded_ratio():
    # δ = 4.5 px: d = 0.5 > 0.35, round(0.5 / 0.2 = 2.5) = 2 (half to
    # even), so the frame moves half-way
    lms, base = _track([(0, 0), (4.5, 0), (4.5, 0), (4.5, 0)])
    out = damp_landmark_jumps(lms)
    np.testing.assert_allclose(out[1], base + [2.25, 0])
    # the next jump is measured from the damped frame: 2.25 px, d = 0.25
    np.testing.assert_allclose(out[2], base + [4.5, 0])
    np.testing.assert_allclose(out[3], base + [4.5, 0])
    assert out.dtype == np.float64


@pytest.mark.parametrize('delta,divisor', [(6.3, 4), (9.0, 5), (18., 10)])
def test_divisor_is_numpy_round_of_d_over_step(delta, divisor):
    lms, base = _track([(0, 0), (0, delta)])
    d = np.linalg.norm(lms[1] - lms[0]) / 81
    assert np.round(d / 0.2) == divisor
    out = damp_landmark_jumps(lms)
    np.testing.assert_allclose(out[1], base + [0, delta / divisor])


def test_damping_chains_over_a_sustained_motion():
    # a steady 9 px / frame drift: each frame is damped towards its
    # landmarks from the previous *damped* frame, so the track lags
    lms, base = _track([(9 * t, 0) for t in range(4)])
    out = damp_landmark_jumps(lms)
    expected, prev = [0.], 0.
    for t in range(1, 4):
        jump = 9 * t - prev
        d = jump / 9  # uniform x shift of 81 points
        prev = prev + (jump / np.round(d / 0.2) if d > 0.35 else jump)
        expected.append(prev)
    np.testing.assert_allclose(out[:, :, 0] - base[:, 0],
                               np.repeat(np.array(expected)[:, None], 81, 1))
    assert expected[1] == pytest.approx(9 / 5)


def test_threshold_and_step_arguments():
    lms, base = _track([(0, 0), (4.5, 0)])
    np.testing.assert_array_equal(
        damp_landmark_jumps(lms, threshold=0.5), lms)  # d = 0.5 not > 0.5
    out = damp_landmark_jumps(lms, threshold=0.1, step=0.1)
    np.testing.assert_allclose(out[1], base + [0.9, 0])  # 4.5 / 5


def test_damping_rejects_a_single_frame_array():
    with pytest.raises(ValueError, match=r'\(T, N, 2\)'):
        damp_landmark_jumps(np.zeros((81, 2)))


def test_damping_follows_reordered_points():
    # the norm is over all points, so the order does not matter
    lms, _ = _track([(0, 0), (0, 5)])
    reordered = np.stack([reorder_landmarks(f) for f in lms])
    np.testing.assert_allclose(
        np.stack([reorder_landmarks(f) for f in damp_landmark_jumps(lms)]),
        damp_landmark_jumps(reordered))
