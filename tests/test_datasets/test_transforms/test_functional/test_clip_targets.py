# Copyright (c) laanet contributors. All rights reserved.
"""Vulnerability masking and temporal targets against the official
FakeSTormer outputs (tests/data/official_fst_*.npz, README there)."""
import hashlib
import os.path as osp

import numpy as np
import pytest

from laanet.datasets.transforms.functional.clip_targets import (
    encode_temporal_target, mask_clip, select_vulnerable_cells,
    temporal_derivative)

DATA = osp.join(osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__))))), 'data')


def _sha(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


@pytest.fixture(scope='module')
def targets():
    return np.load(osp.join(DATA, 'official_fst_temporal_targets.npz'))


@pytest.fixture(scope='module')
def masking():
    return np.load(osp.join(DATA, 'official_fst_masking.npz'))


@pytest.mark.parametrize('target_type', ['m_std_normalized', 'gaussian'])
def test_temporal_targets_equal_the_official_ones(targets, target_type):
    for n, name in enumerate(targets['names']):
        fake, params = encode_temporal_target(
            targets['boundary'][n], target_type=target_type)
        real, _ = encode_temporal_target(
            np.zeros_like(targets['boundary'][n]), target_type=target_type,
            **params)
        want_f = targets[f'{target_type}_fake_heatmap'][n]
        want_r = targets[f'{target_type}_real_heatmap'][n]
        assert np.array_equal(real.astype(np.float64), want_r), name
        if target_type == 'gaussian':
            # np.exp differs by an ulp between numpy builds and CPUs: run
            # on the development machine (numpy 1.26.4), the official code
            # itself put 204 of these 784 values 1 ulp off the stored ones,
            # and laanet's function equalled that run bit for bit
            assert np.array_equal(fake == 1, want_f == 1), name
            np.testing.assert_allclose(fake, want_f, rtol=1e-15, atol=0)
        else:
            assert np.array_equal(fake.astype(np.float64), want_f), name
        if target_type == 'm_std_normalized':
            assert params['d_mean'] == targets[f'{target_type}_fake_d_mean'][n]
            assert params['d_std'] == targets[f'{target_type}_fake_d_std'][n]
        else:
            assert params == {}


def test_uint8_wrap_around_is_official_and_true_abs_diff_the_fix(targets):
    names = list(targets['names'])
    fading = targets['boundary'][names.index('decreasing')]
    ring = fading[:, fading[0] > 0]
    # 240 -> 160 -> 90 -> 40 gives 176, 186, 206 in uint8
    assert temporal_derivative(fading)[:, fading[0] > 0][:, 0].tolist() == [
        176, 186, 206]
    fixed = temporal_derivative(fading, true_abs_diff=True)
    assert fixed[:, fading[0] > 0][:, 0].tolist() == [80, 70, 50]
    assert ring.shape[1] > 0
    hm_fix, p = encode_temporal_target(fading, true_abs_diff=True)
    assert p['d_mean'] < targets['m_std_normalized_fake_d_mean'][1]
    assert hm_fix.shape == (4, 14, 14)


def test_static_clip_gives_float32_zeros(targets):
    static = targets['boundary'][3]
    hm, p = encode_temporal_target(static)
    assert hm.dtype == np.float32 and not hm.any() and p['d_std'] == 0


def test_masking_equals_the_official_masking(masking):
    rs = np.random.RandomState(0)
    imgs_f = list(rs.randint(1, 256, (4, 224, 224, 3)).astype(np.uint8))
    imgs_r = list(rs.randint(1, 256, (4, 224, 224, 3)).astype(np.uint8))
    assert _sha(np.stack(imgs_f)) == masking['images_f_sha256']
    assert _sha(np.stack(imgs_r)) == masking['images_r_sha256']
    np.random.seed(0)
    out = mask_clip(imgs_r, imgs_f, masking['masks_f'],
                    float(masking['fake_intensity']))
    assert out['kept'].dtype == np.int64
    for t in range(4):
        assert np.array_equal(out['kept'], masking['masked_f'][t])
        assert np.array_equal(out['kept'], masking['masked_r'][t])
    assert out['upper_fake'].tolist() == masking['upper_f'].tolist()
    assert np.array_equal(out['scores_fake'], masking['temp_loc_f'])
    assert out['labels_fake'].tolist() == masking['labels_f'].tolist()
    assert _sha(np.stack(imgs_f)) == masking['masked_images_f_sha256']
    assert _sha(np.stack(imgs_r)) == masking['masked_images_r_sha256']


def test_masking_draws_one_unused_randint_per_cell_and_call(masking):
    bq = masking['masks_f']
    imgs = [np.ones((224, 224, 3), np.uint8) for _ in range(8)]
    np.random.seed(0)
    out = mask_clip(imgs[:4], imgs[4:], bq, 0.8)
    after = np.random.rand()
    n_cells = int((out['kept'] == 0).sum())
    np.random.seed(0)
    select_vulnerable_cells(bq[0], 0.8)
    np.random.randint(0, 255, size=2 * 4 * n_cells)
    assert np.random.rand() == after


def test_empty_selection_draws_two_random_cells(masking):
    low = np.zeros((14, 14), np.uint8)
    low[3, 4] = 1
    np.random.seed(0)
    kept, f, u = select_vulnerable_cells(low, 0.9)
    assert u == 1
    assert np.array_equal(kept, masking['empty_S_masked_matrix'])


def test_uniform_boundary_raises_like_the_official_code():
    with pytest.raises(ValueError, match='uniform'):
        select_vulnerable_cells(np.full((14, 14), 200, np.uint8), 0.9)
