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


@pytest.mark.parametrize('layout', ['tensor', 'list', 'samples'])
def test_unflattened_pairs_say_to_use_pair_collate(layout):
    """Only pair_collate flattens pairs: without it, training fails loudly
    instead of running on ordered (real, fake) batches."""
    pre = DeepfakeDataPreprocessor()
    pairs = torch.zeros(3, 2, 3, 4, 4, dtype=torch.uint8)
    samples = [[
        DeepfakeDataSample().set_gt_label(0),
        DeepfakeDataSample().set_gt_label(1)
    ] for _ in range(3)]
    data = dict(
        tensor=dict(inputs=pairs, data_samples=samples),
        list=dict(inputs=list(pairs)),
        samples=dict(inputs=pairs.flatten(0, 1), data_samples=samples))
    with pytest.raises(ValueError, match="laanet.pair_collate"):
        pre(data[layout])


def test_channels_last_by_default_and_switchable():
    batch = dict(inputs=torch.zeros(2, 3, 4, 4, dtype=torch.uint8))
    out = DeepfakeDataPreprocessor()(batch)
    assert out['inputs'].is_contiguous(memory_format=torch.channels_last)
    assert not out['inputs'].is_contiguous()
    out = DeepfakeDataPreprocessor(channels_last=False)(batch)
    assert out['inputs'].is_contiguous()
