# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.datasets.transforms import ClipJointColorAug, JointColorAug


def _frames(num, seed=0, side=48):
    rs = np.random.RandomState(seed)
    return [rs.randint(0, 256, (side, side, 3), np.uint8) for _ in range(num)]


def test_one_draw_for_all_images_of_the_pair():
    # 2T identical images stay identical, whatever fires (JPEG included)
    img = _frames(1)[0]
    aug = ClipJointColorAug()
    changed = 0
    for seed in range(25):
        np.random.seed(seed)
        out = aug(dict(img=[img.copy() for _ in range(4)],
                       img_fake=[img.copy() for _ in range(4)]))
        for frame in out['img'] + out['img_fake']:
            np.testing.assert_array_equal(frame, out['img'][0])
        changed += not np.array_equal(out['img'][0], img)
    assert changed >= 15  # 1 - 0.7³·0.5 of the draws change the image


def test_the_same_shift_is_added_to_every_frame():
    frames = [np.clip(f, 40, 215) for f in _frames(8)]  # no clipping
    aug = ClipJointColorAug(transforms=[
        dict(type='RGBShift', r_shift_limit=20, g_shift_limit=20,
             b_shift_limit=20, p=1.)
    ])
    np.random.seed(3)
    out = aug(dict(img=[f.copy() for f in frames[:4]],
                   img_fake=[f.copy() for f in frames[4:]]))
    shifts = {
        tuple(np.unique((o.astype(int) - f).reshape(-1, 3), axis=0).ravel())
        for o, f in zip(out['img'] + out['img_fake'], frames)
    }
    assert len(shifts) == 1 and len(next(iter(shifts))) == 3
    assert next(iter(shifts)) != (0, 0, 0)


@pytest.mark.parametrize('seed', range(10))
def test_a_one_frame_pair_matches_the_image_augmentation(seed):
    real, fake = _frames(2, seed)
    np.random.seed(seed)
    ref = JointColorAug()(dict(img=real.copy(), img_fake=fake.copy()))
    np.random.seed(seed)
    out = ClipJointColorAug()(dict(img=[real.copy()], img_fake=[fake.copy()]))
    np.testing.assert_array_equal(out['img'][0], ref['img'])
    np.testing.assert_array_equal(out['img_fake'][0], ref['img_fake'])


def test_albumentations_1x_names_raise():
    with pytest.raises(ValueError, match='quality_lower'):
        ClipJointColorAug(transforms=[
            dict(type='ImageCompression', quality_lower=40, p=1.)
        ])
