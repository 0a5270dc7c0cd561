# Copyright (c) laanet contributors. All rights reserved.
"""The SBI training data against the official pipeline, statistically.

The official code was run side by side on the astronaut face (200 seeds);
its medians are the reference below. laanet's side is computed here from
the training pipeline of ``configs/_base_/datasets/ffpp-raw_sbi_384px.py``
(``SelfBlend`` → ``JointGeometricAug`` → ``LetterboxWarp`` →
``GenerateBlendTargets``) on the same face at the same scale
(:func:`astronaut_window_crop`), over 600 seeds.
"""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

from laanet.registry import TRANSFORMS
from laanet.utils.demo_media import astronaut_window_crop

CONFIG = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'configs', '_base_', 'datasets',
    'ffpp-raw_sbi_384px.py')
STEPS = ('SelfBlend', 'JointGeometricAug', 'LetterboxWarp',
         'GenerateBlendTargets')
NUM_SEEDS = 600

# Medians of the official SBI generation and target encoder on the
# astronaut face (200 seeds), measured side by side.
OFFICIAL = dict(
    crop_side=226,  # px, after the random margin crop
    mask_cover=0.121,  # fraction of the crop with M > 0.5
    mask_mean=0.123,  # mean of M over the crop
    color_shift=9.9,  # max over channels |mean(fake) - mean(real)|, M > 0
    abs_diff=19.0,  # M-weighted mean |fake - real| (channel mean)
    heatmap_above_half=0.0021,  # fraction of the 96x96 heatmap > 0.5
    num_peaks=13,  # pixels of the heatmap equal to 1
    consistency_mean=0.050)  # mean of the 96x96 consistency map


def _steps():
    pipeline = Config.fromfile(CONFIG).train_pipeline
    steps = [t for t in pipeline if t['type'] in STEPS]
    assert [t['type'] for t in steps] == list(STEPS)
    return [TRANSFORMS.build(t) for t in steps]


def _sample_statistics(steps, img, lms, seed):
    np.random.seed(seed)
    res = steps[0](dict(img=img.copy(), landmarks=lms.copy(),
                        img_shape=img.shape[:2], img_path='astronaut'))
    real = res['img'].astype(np.float64)
    fake = res['img_fake'].astype(np.float64)
    mask = res['blend_mask_fake']
    inside = mask > 0
    color_shift = max(
        abs(fake[..., c][inside].mean() - real[..., c][inside].mean())
        for c in range(3))
    abs_diff = (np.abs(fake - real).mean(-1) * mask).sum() / mask.sum()
    for step in steps[1:]:
        res = step(res)
    heatmap = res['heatmap_fake'][0]
    return dict(
        crop_side=real.shape[0],
        mask_cover=(mask > 0.5).mean(),
        mask_mean=mask.mean(),
        color_shift=color_shift,
        abs_diff=abs_diff,
        heatmap_above_half=(heatmap > 0.5).mean(),
        num_peaks=(heatmap == 1).sum(),
        consistency_mean=res['consistency_fake'].mean())


@pytest.fixture(scope='module')
def medians():
    steps = _steps()
    img, lms = astronaut_window_crop()
    rows = [
        _sample_statistics(steps, img, lms, seed)
        for seed in range(NUM_SEEDS)
    ]
    return {k: float(np.median([r[k] for r in rows])) for k in OFFICIAL}


@pytest.mark.parametrize('name', [
    'crop_side', 'mask_cover', 'mask_mean', 'color_shift', 'abs_diff',
    'num_peaks', 'consistency_mean'
])
def test_synthesis_medians_within_10_percent_of_official(medians, name):
    assert medians[name] == pytest.approx(OFFICIAL[name], rel=0.10), (
        f'{name}: laanet {medians[name]:.4g}, official {OFFICIAL[name]}')


def test_heatmap_area_median_within_its_sampling_band(medians):
    # The fraction of heatmap pixels above 0.5 is heavy-tailed: the median
    # of 200 seeds moves between 0.0017 and 0.0040 from one seed set to
    # another (bootstrap of 1000 laanet seeds), so a 200-seed official
    # median can only pin it to that band, not to 10 %.
    ratio = medians['heatmap_above_half'] / OFFICIAL['heatmap_above_half']
    assert 0.7 < ratio < 1.6, medians['heatmap_above_half']
