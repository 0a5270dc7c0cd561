# Copyright (c) laanet contributors. All rights reserved.
"""Train and test see faces through one letterbox geometry."""
import numpy as np
import pytest

from laanet.datasets.transforms import CenterCropLetterbox, LetterboxWarp
from laanet.datasets.transforms.functional.warp_utils import letterbox_matrix


@pytest.mark.parametrize('src_hw', [(246, 246), (200, 130), (97, 181)])
@pytest.mark.parametrize('dst', [(384, 384), (128, 96)])
def test_train_and_test_letterbox_agree(src_hw, dst):
    """LetterboxWarp (training) and CenterCropLetterbox (testing and
    inference) give the same pixels for the same face crop."""
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, (*src_hw, 3), dtype=np.uint8)
    train = LetterboxWarp(
        input_size=dst, heatmap_size=(24, 24), use_pre_aug_shape=False)
    test = CenterCropLetterbox(margin=0, scale=dst)
    got_train = train(dict(img=img.copy()))
    got_test = test(dict(img=img.copy()))
    np.testing.assert_array_equal(got_train['img'], got_test['img'])
    assert got_train['img_shape'] == got_test['img_shape'] == dst[::-1]
    np.testing.assert_array_equal(got_test['letterbox_matrix'],
                                  letterbox_matrix(src_hw, dst[::-1]))


def test_center_crop_letterbox_uses_the_shared_matrix():
    """The margin crop composes with the shared letterbox matrix."""
    img = np.zeros((256, 256, 3), np.uint8)
    out = CenterCropLetterbox(margin=5, scale=384)(dict(img=img))
    expected = letterbox_matrix((246, 246), (384, 384))
    expected[:, 2] -= expected[:, :2] @ np.array([5., 5.])
    np.testing.assert_allclose(out['letterbox_matrix'], expected)
