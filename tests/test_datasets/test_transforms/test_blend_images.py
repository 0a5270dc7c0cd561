# Copyright (c) laanet contributors. All rights reserved.
import inspect

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import BlendImages
from laanet.datasets.transforms.functional import blend_utils


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
    out = _fake(face_results, work_size_ratio=(.8, .8), downscale_prob=0.,
                hull_types=('facehull', ), erode_prob=0.,
                dilate_kernel=(1, 1), deform_scale=(0.01, 0.01),
                crop_box_ratio=None)
    assert out['gt_label'] == 1 and out['manipulation'] == 'BI'
    assert out['partner_path'] == partner_path
    fake, mask = out['img'], out['blend_mask']
    hull = blend_utils.hull_mask(lms, real.shape[:2], 'facehull')
    far = cv2.dilate(hull, np.ones((21, 21), np.uint8)) == 0
    core = cv2.erode(hull, np.ones((41, 41), np.uint8)) == 1
    # outside the face only the two resizes act (down with anti-aliasing
    # and up, each truncated): blurred and about a level darker
    diff = fake.astype(int) - real
    assert -1.5 < diff[far].mean() < -0.3
    assert (np.abs(diff).max(-1)[core] > 0).mean() > 0.9
    assert mask.min() >= 0 and mask.max() == 1 and not mask[far].any()
    # B is stored as the official uint8(255 B), truncated
    assert out['boundary_map'].dtype == np.uint8
    m64 = mask.astype(np.float64)
    np.testing.assert_allclose(out['boundary_map'],
                               (1 - m64) * m64 * 4 * 255, atol=1)
    # colour transfer: inside the face the partner's +40 blue is removed
    shift = fake.astype(int)[core].mean(0) - real[core].mean(0)
    assert abs(shift[0]) < 10


@pytest.mark.parametrize('size', [200, 317])
def test_size_agnostic(face_results, partner_path, size):
    k = size / 256
    face_results['img'] = cv2.resize(face_results['img'], (size, size))
    face_results['landmarks'] = face_results['landmarks'] * k
    face_results['best_match'] = [partner_path]
    out = _fake(face_results, seed=1, hull_types=('dfl_full', ),
                crop_box_ratio=None)
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
    with pytest.raises(ValueError, match='deform_grid'):
        BlendImages(deform_grid=(1, 4))


def test_empty_mask_raises_naming_the_file(face_results, partner_path):
    # the largest erosion of a tiny hull leaves nothing: an error, retried
    # by the dataset (the official loader retries too)
    face_results['best_match'] = [partner_path]
    lms = face_results['landmarks']
    face_results['landmarks'] = (lms - lms.mean(0)) * 0.05 + lms.mean(0)
    with pytest.raises(ValueError, match='empty.*astronaut.png'):
        _fake(face_results, erode_prob=1., erode_kernel=(21, 21),
              hull_types=('dfl_full', ))


def test_official_crop_and_repr(face_results, partner_path):
    face_results['best_match'] = [partner_path]
    out = _fake(dict(face_results))  # the official crop by default
    assert out['img'].shape[:2] == out['blend_mask'].shape == (208, 208)
    assert out['boundary_map'].shape == (208, 208)
    face_results['img'] = cv2.resize(face_results['img'], (317, 317))
    out = _fake(face_results, prob_fake=0.)
    assert out['img'].shape[:2] == (257, 257)  # [60:317, 30:287]
    text = repr(BlendImages())
    for name in inspect.signature(BlendImages.__init__).parameters:
        if name != 'self':
            assert f'{name}=' in text


def test_windowed_resizes_equal_full_ones(face_results, partner_path,
                                          monkeypatch):
    # the partner and M are resized only where they matter: the same
    # sample as resizing them whole, on an off-centre non-square face
    from laanet.datasets.transforms import blend_images
    face_results['img'] = cv2.resize(face_results['img'], (230, 280))
    face_results['landmarks'] = (face_results['landmarks'] *
                                 [230 / 256, 280 / 256] + [-30, 40])
    face_results['best_match'] = [partner_path]
    outs = []
    for full in (False, True):
        if full:
            monkeypatch.setattr(
                blend_images, '_nonzero_box',
                lambda m: (0, m.shape[0], 0, m.shape[1]) if m.any() else None)
            monkeypatch.setattr(blend_images, '_reach',
                                lambda si, so, box: (0, so[0], 0, so[1]))
        outs.append([_fake(dict(face_results), seed=s) for s in range(3)])
    for a, b in zip(*outs):
        for key in ('img', 'blend_mask', 'boundary_map'):
            np.testing.assert_array_equal(a[key], b[key])
