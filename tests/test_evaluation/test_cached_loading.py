# Copyright (c) laanet contributors. All rights reserved.
"""CachedLoading: a test set's images decoded once for many settings."""
import os

import cv2
import numpy as np
import pytest
from mmcv.transforms import LoadImageFromFile

from laanet.datasets.transforms import CenterCropLetterbox
from laanet.evaluation.cached_loading import CachedLoading, split_loading
from laanet.utils.demo_media import astronaut_bgr


def test_decoded_once(tmp_path):
    path = str(tmp_path / 'a.png')
    cv2.imwrite(path, astronaut_bgr())
    loading = CachedLoading([LoadImageFromFile()])
    loading.fill([dict(img_path=path, label=1)])
    assert loading.num_bytes == 512 * 512 * 3
    os.remove(path)  # from now on only the cache can give it
    out = loading(dict(img_path=path, label=1))
    assert np.array_equal(out['img'], astronaut_bgr())
    assert out['img_shape'] == (512, 512) and out['label'] == 1
    out['img'][:] = 0  # a copy: the cache is untouched
    assert np.array_equal(loading(dict(img_path=path))['img'],
                          astronaut_bgr())


def test_budget(tmp_path):
    path = str(tmp_path / 'a.png')
    cv2.imwrite(path, astronaut_bgr())
    loading = CachedLoading([LoadImageFromFile()], max_bytes=0)
    loading.fill([dict(img_path=path)])
    assert loading.cache == {}
    os.remove(path)
    with pytest.raises(OSError):
        loading(dict(img_path=path))


def test_split_loading():
    ts = [LoadImageFromFile(), CenterCropLetterbox(margin=5, scale=(64, 64))]
    assert split_loading(ts) == 1
    with pytest.raises(ValueError, match='no LoadImageFromFile.*Center'):
        split_loading(ts[1:])
