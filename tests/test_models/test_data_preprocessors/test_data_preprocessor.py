# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.data_preprocessors import DeepfakeDataPreprocessor
from laanet.structures import DeepfakeDataSample


def _samples(n):
    return [DeepfakeDataSample().set_gt_label(i % 2) for i in range(n)]


def test_bgr_to_rgb_and_range():
    pre = DeepfakeDataPreprocessor()
    img = torch.zeros(1, 3, 2, 2, dtype=torch.uint8)
    img[0, 0] = 255  # blue channel in BGR
    out = pre(dict(inputs=img, data_samples=_samples(1)))
    x = out['inputs']
    assert x.dtype == torch.float32
    assert x[0, 2].eq(1).all() and x[0, 0].eq(-1).all()  # RGB, [-1, 1]
    lst = pre(dict(inputs=[img[0], img[0]], data_samples=_samples(2)))
    assert lst['inputs'].shape == (2, 3, 2, 2)


def test_pairs_are_flattened_in_order():
    pre = DeepfakeDataPreprocessor()
    real = torch.full((3, 4, 4), 0, dtype=torch.uint8)
    fake = torch.full((3, 4, 4), 255, dtype=torch.uint8)
    pairs = torch.stack([torch.stack([real, fake])] * 3)  # (3, 2, 3, H, W)
    samples = [[
        DeepfakeDataSample().set_gt_label(0),
        DeepfakeDataSample().set_gt_label(1)
    ] for _ in range(3)]
    out = pre(dict(inputs=pairs, data_samples=samples))
    assert out['inputs'].shape == (6, 3, 4, 4)
    assert out['inputs'][:, 0, 0, 0].tolist() == [-1, 1] * 3
    assert [s.gt_label.item() for s in out['data_samples']] == [0, 1] * 3
    out = pre(dict(inputs=list(pairs), data_samples=samples))
    assert out['inputs'].shape == (6, 3, 4, 4)


def test_mismatch_and_channels_last():
    pre = DeepfakeDataPreprocessor()
    pairs = torch.zeros(2, 2, 3, 4, 4, dtype=torch.uint8)
    with pytest.raises(ValueError):
        pre(dict(inputs=pairs, data_samples=_samples(4)))
    with pytest.raises(ValueError):
        pre(dict(inputs=pairs, data_samples=[_samples(2)]))
    pre = DeepfakeDataPreprocessor(channels_last=True)
    out = pre(dict(inputs=torch.zeros(2, 3, 4, 4, dtype=torch.uint8)))
    assert out['inputs'].is_contiguous(memory_format=torch.channels_last)
