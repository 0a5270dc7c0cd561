# Copyright (c) laanet contributors. All rights reserved.
import inspect

import cv2
import numpy as np
import pytest

from laanet.datasets.transforms import SelfBlend, self_blend
from laanet.datasets.transforms.functional import blend_utils, warp_utils
from laanet.registry import TRANSFORMS


def _run(results, seed=0, **kwargs):
    np.random.seed(seed)
    return TRANSFORMS.build(dict(type='SelfBlend', **kwargs))(results)


def test_fake_differs_only_inside_the_dilated_hull(face_results):
    lms = face_results['landmarks'].copy()
    out = _run(face_results, hflip_prob=0., hull_types=('facehull', ),
               margin_range=(10, 11), drop_forehead_prob=0.,
               blend_ratios=(1., ))
    real, fake = out['img'], out['img_fake']
    assert real.shape == fake.shape == (236, 236, 3)
    assert real.dtype == fake.dtype == np.uint8
    hull = blend_utils.hull_mask(lms - 10, real.shape[:2], 'facehull')
    # affine (<= ~8 px), elastic (a few px) and the second blur (<= 12 px)
    far = cv2.dilate(hull, np.ones((81, 81), np.uint8)) == 0
    core = cv2.erode(hull, np.ones((41, 41), np.uint8)) == 1
    assert far.sum() > 3000 and core.sum() > 5000
    np.testing.assert_array_equal(fake[far], real[far])
    diff = np.abs(fake.astype(int) - real.astype(int)).max(-1)
    assert (diff[core] > 0).mean() > 0.5
    mask = out['blend_mask_fake']
    np.testing.assert_array_equal(fake[mask == 0], real[mask == 0])
    assert mask.min() >= 0 and mask.max() == pytest.approx(1, abs=1e-6)
    assert mask[core].min() > 0.5 and mask[core].mean() > 0.9


def test_masks_and_boundary(face_results):
    orig = dict(face_results)
    out = _run(face_results, seed=3)
    mask, bound = out['blend_mask_fake'], out['boundary_map_fake']
    assert mask.dtype == np.float32
    # B is stored as the official uint8(255 B), truncated, at the crop
    assert bound.dtype == np.uint8
    np.testing.assert_array_equal(
        bound, (np.clip(4 * mask * (1 - mask), 0, 1) * 255).astype(np.uint8))
    assert mask.shape == bound.shape == out['img_fake'].shape[:2]
    assert 0 <= mask.min() and mask.max() <= 1
    np.random.seed(3)
    bound = SelfBlend(quantize_boundary=False)(orig)['boundary_map_fake']
    assert bound.dtype == np.float32
    assert bound.min() >= 0 and bound.max() <= 1
    np.testing.assert_allclose(bound, 4 * mask * (1 - mask), atol=1e-6)
    half = np.abs(mask - 0.5) < 0.01
    assert half.any()
    assert bound[half].min() > 0.999
    assert np.unravel_index(bound.argmax(), bound.shape) in set(
        zip(*np.nonzero(np.abs(mask - 0.5) < 0.05)))
    # the real of a pair has no blending
    assert not out['blend_mask'].any() and not out['boundary_map'].any()
    assert out['gt_label'] == 0 and out['gt_label_fake'] == 1


def test_margin_crop_range(face_results):
    sizes = set()
    for seed in range(30):
        out = _run(dict(face_results), seed=seed, hull_types=('dfl_full', ))
        sizes.add(out['img'].shape[0])
        assert out['img_shape'] == out['img'].shape[:2]
    assert min(sizes) >= 256 - 2 * 24 and max(sizes) <= 256 - 2 * 5
    assert len(sizes) > 5


def test_same_seed_same_sample(face_results):
    a = _run(dict(face_results), seed=7)
    b = _run(dict(face_results), seed=7)
    c = _run(dict(face_results), seed=8)
    np.testing.assert_array_equal(a['img_fake'], b['img_fake'])
    np.testing.assert_array_equal(a['img'], b['img'])
    np.testing.assert_array_equal(a['boundary_map_fake'],
                                  b['boundary_map_fake'])
    assert not np.array_equal(a['img_fake'], c['img_fake'])


def test_flip_moves_landmarks_with_the_image(face_results):
    lms = face_results['landmarks'].copy()
    orig = dict(face_results)
    out = _run(face_results, hflip_prob=1., margin_range=(5, 6))
    assert out['flip'] is True
    # right eye of the flipped image = mirrored left eye of the original,
    # x -> W - x as the official code maps points (exact_flip: W - 1 - x)
    expected = 256 - lms[42:48, 0].mean() - 5
    assert out['landmarks'][36:42, 0].mean() == pytest.approx(expected)
    out = _run(orig, hflip_prob=1., margin_range=(5, 6), exact_flip=True)
    assert out['landmarks'][36:42, 0].mean() == pytest.approx(expected - 1)


@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
def test_every_hull_type_and_81_points(face_results, hull_type):
    lms = face_results['landmarks']
    # an 81-point set: 13 forehead points above the brows
    brow = lms[17:27]
    forehead = np.concatenate([brow, brow[:3]]) - [0, 25]
    face_results['landmarks'] = np.concatenate([lms, forehead])
    out = _run(face_results, hull_types=(hull_type, ))
    assert out['blend_mask_fake'].max() > 0.99
    assert out['landmarks'].shape == (81, 2)


def test_single_sample_mode(face_results):
    labels = []
    for seed in range(20):
        out = _run(dict(face_results), seed=seed, pair=False)
        assert 'img_fake' not in out
        labels.append(out['gt_label'])
        if out['gt_label'] == 1:
            assert out['manipulation'] == 'SBI'
            assert out['video_id'] == 'SBI/' + face_results['video_id']
            assert out['boundary_map'].max() > 0.9
        else:
            assert not out['boundary_map'].any()
    assert 0 < sum(labels) < 20


def test_degenerate_landmarks_raise_with_file_name(face_results):
    face_results['landmarks'] = np.full((68, 2), 100., np.float32)
    with pytest.raises(ValueError, match='astronaut.png'):
        _run(face_results, hull_types=('dfl_full', ))


def test_argument_checks_and_repr():
    with pytest.raises(ValueError, match='hull_types'):
        SelfBlend(hull_types=('oval', ))
    with pytest.raises(ValueError, match='odd'):
        SelfBlend(blur_kernel_range=(4, 24))
    with pytest.raises(ValueError, match='quality'):
        SelfBlend(source_transforms=[dict(type='ImageCompression',
                                          quality=50)])
    text = repr(SelfBlend())
    for name in inspect.signature(SelfBlend.__init__).parameters:
        if name != 'self':
            assert f'{name}=' in text


def test_the_synthesis_names_the_fake_view(face_results):
    """The fake of a pair gets its manipulation and its own video id from
    SelfBlend (the packer only copies them)."""
    out = _run(dict(face_results))
    assert out['manipulation_fake'] == 'SBI'
    assert out['video_id_fake'] == 'SBI/' + face_results['video_id']
    assert out['video_id'] == face_results['video_id']
    assert out.get('manipulation') == face_results.get('manipulation')


@pytest.mark.parametrize('aug_source', [0., 1.])
def test_source_is_copied_before_either_side_is_augmented(face_results,
                                                          aug_source):
    # a deterministic +40 shift as the source/target augmentation: the
    # blended face differs from its surroundings by it whichever side got
    # it (the source copy is taken before augmenting)
    shift = [dict(type='RGBShift', r_shift_limit=(40, 40),
                  g_shift_limit=(40, 40), b_shift_limit=(40, 40), p=1.)]
    orig = face_results['img'].astype(int)
    out = _run(face_results, source_aug_prob=aug_source,
               source_transforms=shift, blend_ratios=(1., ),
               margin_range=(10, 11), hflip_prob=0.)
    real, fake = out['img'].astype(int), out['img_fake'].astype(int)
    core = out['blend_mask_fake'] > 0.99
    assert core.sum() > 2000
    diff = (fake - real)[core].mean()
    assert abs(diff) > 30
    # the real is the augmented target when the target was augmented
    expected_real = orig[10:-10, 10:-10] + (0 if aug_source else 40)
    np.testing.assert_allclose(
        real[~core].mean(), np.clip(expected_real, 0, 255)[~core].mean(),
        atol=1)


def test_source_transforms_choose_downscale_and_sharpen_evenly():
    # albumentations' OneOf weights its children by p: every child of the
    # official OneOf(RandomDownScale, Sharpen) has p=1, so each is chosen
    # half of the time (2.x's default Sharpen p=0.5 would give 1/3)
    compose = SelfBlend()._source_aug
    one_of = compose.transforms[-1]
    assert type(one_of).__name__ == 'OneOf' and one_of.p == 1
    assert [type(t).__name__ for t in one_of.transforms] == ['OneOf',
                                                             'Sharpen']
    np.testing.assert_allclose(one_of.transforms_ps, [0.5, 0.5])
    np.testing.assert_allclose(one_of.transforms[0].transforms_ps,
                               [0.5, 0.5])
    # the colour jitter: RGBShift p=0.3, HSV and brightness/contrast p=1
    assert [t.p for t in compose.transforms[:3]] == [0.3, 1., 1.]


def test_source_affine_draws_x_and_y_scales_independently(face_results):
    aniso = SelfBlend()
    iso = SelfBlend(isotropic_scale=True)
    for seed in range(5):
        np.random.seed(seed)
        scales = aniso.draw_params((256, 256), 68)['affine_scale']
        assert scales.shape == (2, ) and scales[0] != scales[1]
        assert ((0.95 <= scales) & (scales <= 1 / 0.95)).all()
        np.random.seed(seed)
        assert iso.draw_params((256, 256), 68)['affine_scale'].shape == (1, )
    mat = warp_utils.affine_matrix((101, 201), (1.05, 0.95), 3., -2.)
    # the centre moves by the translation only; the axes scale apart
    np.testing.assert_allclose(mat @ [100, 50, 1], [103, 48], atol=1e-4)
    np.testing.assert_allclose(mat[:, :2], [[1.05, 0], [0, 0.95]], atol=1e-6)


@pytest.mark.parametrize('num_points', [68, 81])
@pytest.mark.parametrize('hull_type', blend_utils.HULL_TYPES)
def test_hull_is_the_official_one(official_sbi_hulls, monkeypatch,
                                  num_points, hull_type):
    # the hull SelfBlend blurs into M, with the affine and the elastic
    # field set to the identity: the official random_get_hull's
    lms, hulls = official_sbi_hulls
    ref = hulls[num_points, hull_type]
    seen = []

    def spy(hull, *args):
        seen.append(hull)
        return blend_utils.blend_mask(hull, *args)

    monkeypatch.setattr(self_blend, 'blend_mask', spy)
    transform = SelfBlend()
    np.random.seed(0)
    p = transform.draw_params(ref.shape, 81)
    p.update(fake=True, flip=False, drop_forehead=num_points == 68,
             hull_type=hull_type, affine_scale=np.ones(2), tx=0., ty=0.,
             elastic_noise=np.zeros_like(p['elastic_noise']))
    img = np.random.RandomState(0).randint(0, 256, ref.shape + (3, ),
                                           np.uint8)
    transform.make_views(img, lms[81].copy(), p, dict(img_path='x.png'))
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], ref)
