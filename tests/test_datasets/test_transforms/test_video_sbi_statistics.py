# Copyright (c) laanet contributors. All rights reserved.
"""Video SBI clip pairs against the official FakeSTormer synthesis,
statistically.

``tests/data/fakestormer/official_video_sbi_statistics.npz`` holds twelve
statistics of 300 clip pairs made by the official
``FakeSFormerSBI.__getitem_video__`` (train split, c23 config, before the
vulnerability masking; ``tests/data/README.md`` says how). Its clips are
:func:`synthetic_face_clip` of the astronaut (:func:`astronaut_window_crop`,
81 points with :func:`add_forehead`) with seeds 10000 + i. laanet's side
runs ``VideoSelfBlend`` → ``ClipLetterboxWarp`` → ``ClipJointColorAug`` on
the same clips, and each statistic is compared with a two-sample
Kolmogorov-Smirnov test, Bonferroni-corrected at 1 %.
"""
import os.path as osp

import numpy as np
import pytest
from scipy.stats import ks_2samp

from laanet.datasets.transforms import (ClipJointColorAug, ClipLetterboxWarp,
                                        VideoSelfBlend)
from laanet.utils.demo_media import astronaut_window_crop

DATA = osp.join(osp.dirname(__file__), '..', '..', 'data', 'fakestormer',
                'official_video_sbi_statistics.npz')
NUM_CLIPS = 300
ALPHA = 0.01


def clip_statistics(inputs, real, fake, boundary):
    """Statistics of one clip pair, as computed on the official side.

    Args:
        inputs (np.ndarray): (T, H, W, 3) input frames.
        real (np.ndarray): (T, 224, 224, 3) uint8 real frames.
        fake (np.ndarray): (T, 224, 224, 3) uint8 fake frames.
        boundary (np.ndarray): (T, 14, 14) uint8 fake boundary maps.

    Returns:
        dict: Name → value.
    """
    real = np.asarray(real, np.float64)
    fake = np.asarray(fake, np.float64)
    b = np.asarray(boundary, np.float64)
    diff = np.abs(fake - real).mean(-1)
    changed = (fake != real).any(-1)
    flicker_real = np.abs(np.diff(real, axis=0)).mean()
    color_shift = max(
        abs(fake[..., c][changed].mean() - real[..., c][changed].mean())
        for c in range(3)) if changed.any() else 0.
    return dict(
        boundary_mean=b.mean() / 255,
        boundary_cover=(b > 0).mean(),
        boundary_peak=b.reshape(len(b), -1).max(1).mean(),
        boundary_flicker=np.abs(np.diff(b, axis=0)).mean(),
        boundary_spread=(b.reshape(len(b), -1).mean(1) / 255).std(),
        abs_diff=diff.mean(),
        diff_cover=changed.mean(),
        diff_spread=diff.reshape(len(diff), -1).mean(1).std(),
        real_flicker=flicker_real,
        fake_excess_flicker=np.abs(np.diff(fake, axis=0)).mean() -
        flicker_real,
        color_shift=color_shift,
        real_shift=real.mean() - np.asarray(inputs, np.float64).mean())


@pytest.fixture(scope='module')
def official():
    with np.load(DATA) as z:
        return dict(zip(z['names'].tolist(), z['stats'].T))


@pytest.fixture(scope='module')
def laanet_stats(face_clips):
    img, lms = astronaut_window_crop()
    lms81 = face_clips.add_forehead(lms)
    steps = (VideoSelfBlend(), ClipLetterboxWarp(), ClipJointColorAug())
    rows = []
    for i in range(NUM_CLIPS):
        frames, tracks = face_clips.synthetic_face_clip(
            img, lms81, seed=10_000 + i)
        np.random.seed(i)
        res = dict(img=list(frames), landmarks=tracks)
        for step in steps:
            res = step(res)
        rows.append(
            clip_statistics(
                np.stack(frames), np.stack(res['img']),
                np.stack(res['img_fake']), res['boundary_fake']))
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


@pytest.mark.slow
def test_statistics_are_the_stored_ones(laanet_stats, official):
    assert sorted(official) == sorted(laanet_stats)
    assert all(len(v) >= 290 for v in official.values())


@pytest.mark.slow
@pytest.mark.parametrize('name', [
    'boundary_mean', 'boundary_cover', 'boundary_peak', 'boundary_flicker',
    'boundary_spread', 'abs_diff', 'diff_cover', 'diff_spread',
    'real_flicker', 'fake_excess_flicker', 'color_shift', 'real_shift'
])
def test_clip_statistic_matches_official_distribution(
        laanet_stats, official, name):
    ours, ref = laanet_stats[name], official[name]
    p = ks_2samp(ours, ref).pvalue
    assert p > ALPHA / len(official), (
        f'{name}: KS p={p:.2g}; laanet median {np.median(ours):.4g}, '
        f'official {np.median(ref):.4g}')
