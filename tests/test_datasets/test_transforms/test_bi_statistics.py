# Copyright (c) laanet contributors. All rights reserved.
"""The BI training data against the official pipeline, statistically.

``tests/data/official_bi_statistics.npz`` holds eight statistics of 300
official BI fakes (``HeatmapFaceForensic._gen_target`` of the official code,
one seed per sample, the 317-px astronaut of ``official_bi_steps.npz`` as
background and its mirror image as partner; ``tests/data/README.md`` says
how it was made). laanet's side is computed here with the BI config's
``BlendImages`` → ``LetterboxWarp`` → ``GenerateBlendTargets`` on the same
faces over 300 seeds (fakes only: ``prob_fake=1``; no colour or geometric
augmentation, as in the official run), and each statistic is compared with
a two-sample Kolmogorov-Smirnov test, Bonferroni-corrected at 1 %.
"""
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.config import Config
from scipy.stats import ks_2samp

from laanet.datasets.transforms import blend_images
from laanet.registry import TRANSFORMS

ROOT = osp.join(osp.dirname(__file__), '..', '..', '..')
CONFIG = osp.join(ROOT, 'configs', '_base_', 'datasets',
                  'ffpp-raw_bi_384px.py')
DATA = osp.join(ROOT, 'tests', 'data')
STEPS = ('BlendImages', 'LetterboxWarp', 'GenerateBlendTargets')
NUM_SEEDS = 300
ALPHA = 0.01


def _steps():
    pipeline = Config.fromfile(CONFIG).train_pipeline
    steps = [dict(t) for t in pipeline if t['type'] in STEPS]
    assert [t['type'] for t in steps] == list(STEPS)
    steps[0]['prob_fake'] = 1.
    return [TRANSFORMS.build(t) for t in steps]


@pytest.fixture(scope='module')
def official():
    with np.load(osp.join(DATA, 'official_bi_statistics.npz')) as z:
        return dict(zip(z['names'].tolist(), z['stats'].T))


@pytest.fixture(scope='module')
def laanet_stats(tmp_path_factory):
    with np.load(osp.join(DATA, 'official_bi_steps.npz')) as z:
        rgb = cv2.imdecode(z['png_bg'], cv2.IMREAD_UNCHANGED)
        lms = z['landmarks']
    bg = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    partner = str(tmp_path_factory.mktemp('bi') / 'partner.png')
    cv2.imwrite(partner, np.ascontiguousarray(bg[:, ::-1]))
    real = bg[60:317, 30:287].astype(np.float64)
    steps = _steps()
    ratio = {}
    deform = blend_images.piecewise_affine

    def recording(mask, **kwargs):
        out = deform(mask, **kwargs)
        ratio['last'] = out.sum() / mask.sum()
        return out

    rows = []
    mp = pytest.MonkeyPatch()
    mp.setattr(blend_images, 'piecewise_affine', recording)
    try:
        for seed in range(NUM_SEEDS):
            np.random.seed(seed)
            res = steps[0](
                dict(img=bg.copy(), landmarks=lms.copy(), img_path='a',
                     best_match=[partner]))
            mask = res['blend_mask'].astype(np.float64)
            fake = res['img'].astype(np.float64)
            inside = mask > 0
            for step in steps[1:]:
                res = step(res)
            rows.append(dict(
                area_ratio=ratio['last'],
                cover=(mask > 0.5).mean(),
                mask_mean=mask.mean(),
                edge_softness=((mask > 0) & (mask < 1)).sum() / inside.sum(),
                color_shift=max(
                    abs(fake[..., c][inside].mean() -
                        real[..., c][inside].mean()) for c in range(3)),
                abs_diff=(np.abs(fake - real).mean(-1) * mask).sum() /
                mask.sum(),
                outside_shift=(fake - real).mean(-1)[~inside].mean(),
                num_peaks=(res['heatmap'][0] == 1).sum()))
    finally:
        mp.undo()
    return {k: np.array([r[k] for r in rows]) for k in rows[0]}


NAMES = ('area_ratio', 'cover', 'mask_mean', 'edge_softness', 'color_shift',
         'abs_diff', 'outside_shift', 'num_peaks')


@pytest.mark.slow
@pytest.mark.parametrize('name', NAMES)
def test_bi_statistic_matches_official_distribution(laanet_stats, official,
                                                    name):
    ours, ref = laanet_stats[name], official[name]
    p = ks_2samp(ours, ref).pvalue
    assert p > ALPHA / len(NAMES), (
        f'{name}: KS p={p:.2g}; laanet median {np.median(ours):.4g}, '
        f'official {np.median(ref):.4g}')


@pytest.mark.slow
def test_bi_fakes_darker_outside_the_mask(laanet_stats, official):
    # the official cue: two truncating resizes make every fake about one
    # grey level darker than its real, outside the blended region too
    for stats in (laanet_stats, official):
        assert -1.2 < np.median(stats['outside_shift']) < -0.6
    assert np.median(laanet_stats['area_ratio']) > 1.02  # the mask grows
