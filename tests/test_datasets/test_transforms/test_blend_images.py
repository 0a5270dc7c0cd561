# Copyright (c) laanet contributors. All rights reserved.
import inspect

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import BlendImages
from laanet.datasets.transforms import blend_utils


@pytest.fixture
def partner_path(astronaut_face, tmp_path):
    """A different-looking partner face: mirrored and colour-shifted."""
    img = cv2.flip(np.ascontiguousarray(astronaut_face[0]), 1)
    img = cv2.add(img, np.full(img.shape, (40, 0, 0), np.uint8))
    path = tmp_path / 'partner.png'
    cv2.imwrite(str(path), img)
    return str(path)


def _fake(results, seed=0, **kwargs):
    kwargs.setdefault('prob_fake', 1.)
    np.random.seed(seed)
    return BlendImages(**kwargs)(results)


def test_fake_blends_partner_inside_the_hull(face_results, partner_path):
    real = face_results['img'].copy()
    lms = face_results['landmarks'].copy()
    face_results['best_match'] = [partner_path]
    out = _fake(face_results, work_size_ratio=(1., 1.), downscale_prob=0.,
                hull_types=('facehull', ), erode_prob=0.,
                dilate_kernel=(1, 1), deform_scale=(0.01, 0.01))
    assert out['gt_label'] == 1 and out['manipulation'] == 'BI'
    assert out['partner_path'] == partner_path
    fake, mask = out['img'], out['blend_mask']
    hull = blend_utils.hull_mask(lms, real.shape[:2], 'facehull')
    far = cv2.dilate(hull, np.ones((21, 21), np.uint8)) == 0
    core = cv2.erode(hull, np.ones((41, 41), np.uint8)) == 1
    np.testing.assert_array_equal(fake[far], real[far])
    assert (np.abs(fake.astype(int) - real).max(-1)[core] > 0).mean() > 0.9
    assert mask.min() >= 0 and mask.max() == 1 and not mask[far].any()
    # B is stored as the official uint8(255 B), truncated
    assert out['boundary_map'].dtype == np.uint8
    np.testing.assert_array_equal(
        out['boundary_map'],
        (np.clip(4 * mask * (1 - mask), 0, 1) * 255).astype(np.uint8))
    # colour transfer: inside the face the partner's +40 blue is removed
    diff = fake.astype(int)[core].mean(0) - real[core].mean(0)
    assert abs(diff[0]) < 10


@pytest.mark.parametrize('size', [200, 317])
def test_size_agnostic(face_results, partner_path, size):
    k = size / 256
    face_results['img'] = cv2.resize(face_results['img'], (size, size))
    face_results['landmarks'] = face_results['landmarks'] * k
    face_results['best_match'] = [partner_path]
    out = _fake(face_results, seed=1, hull_types=('dfl_full', ))
    mask = out['blend_mask']
    assert mask.shape == (size, size)
    ys, xs = np.nonzero(mask > 0.5)
    centre = face_results['landmarks'][:68].mean(0)
    assert abs(xs.mean() - centre[0]) < 0.08 * size
    assert abs(ys.mean() - centre[1]) < 0.12 * size


def test_real_branch_and_labels(face_results, partner_path):
    face_results['best_match'] = [partner_path]
    labels = []
    for seed in range(20):
        out = _fake(dict(face_results), seed=seed, prob_fake=0.5)
        labels.append(out['gt_label'])
        if out['gt_label'] == 0:
            assert not out['boundary_map'].any()
    assert 0 < sum(labels) < 20


def test_seed_reproducible(face_results, partner_path):
    face_results['best_match'] = [partner_path]
    a = _fake(dict(face_results), seed=5)
    b = _fake(dict(face_results), seed=5)
    np.testing.assert_array_equal(a['img'], b['img'])


def test_errors_name_the_file(face_results, tmp_path):
    face_results['best_match'] = []
    with pytest.raises(ValueError, match='best_match.*astronaut.png'):
        _fake(dict(face_results))
    face_results['best_match'] = [str(tmp_path / 'gone.png')]
    with pytest.raises(ValueError, match='gone.png'):
        _fake(dict(face_results))
    with pytest.raises(ValueError, match='hull_types'):
        BlendImages(hull_types=())


def test_official_crop_option_and_repr(face_results, partner_path):
    face_results['best_match'] = [partner_path]
    box = (30 / 317, 60 / 317, 287 / 317, 1.0)
    out = _fake(face_results, crop_box_ratio=box)
    assert out['img'].shape[:2] == out['blend_mask'].shape == (208, 207)
    text = repr(BlendImages())
    for name in inspect.signature(BlendImages.__init__).parameters:
        if name != 'self':
            assert f'{name}=' in text
