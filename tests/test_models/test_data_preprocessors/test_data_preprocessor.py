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


def _clip_pair(idx, t=4):
    """A packed (real, fake) pair of clips: (2, 3, T, H, W) and two
    samples, as PackDeepfakeInputs(pair=True) would give for clips."""
    g = torch.Generator().manual_seed(idx)
    inputs = torch.randint(0, 256, (2, 3, t, 6, 5), generator=g,
                           dtype=torch.uint8)
    return dict(inputs=inputs, data_samples=_samples(2))


@pytest.mark.parametrize('channels_last', [True, False])
def test_clip_pairs_pass_with_their_declared_layout(channels_last):
    """Clip pairs, flattened by pair_collate, are (N, C, T, H, W) batches:
    each channel normalised over every frame like images, BGR→RGB."""
    from laanet.datasets import pair_collate
    torch.manual_seed(0)
    batch = pair_collate([_clip_pair(i) for i in range(3)])
    assert batch['inputs'].shape == (6, 3, 4, 6, 5)
    mean, std = (10., 20., 30.), (2., 4., 8.)
    pre = DeepfakeDataPreprocessor(
        mean=mean, std=std, layout='clip', channels_last=channels_last)
    out = pre(batch)
    x = out['inputs']
    assert x.shape == (6, 3, 4, 6, 5) and x.dtype == torch.float32
    rgb = batch['inputs'].flip(1).float()
    expected = (rgb - torch.tensor(mean).view(1, 3, 1, 1, 1)) / torch.tensor(
        std).view(1, 3, 1, 1, 1)
    torch.testing.assert_close(x, expected, rtol=0, atol=0)
    fmt = torch.channels_last_3d if channels_last else torch.contiguous_format
    assert x.is_contiguous(memory_format=fmt)
    # folding T into the batch gives channels-last frames without a copy
    if channels_last:
        frames = x.transpose(1, 2).flatten(0, 1)
        assert frames.is_contiguous(memory_format=torch.channels_last)
    assert len(out['data_samples']) == 6
    # a list of (3, T, H, W) clips is stacked first
    lst = pre(dict(inputs=list(batch['inputs'])))
    torch.testing.assert_close(lst['inputs'], x, rtol=0, atol=0)


def test_undeclared_clip_batch_is_a_clear_error():
    clips = torch.zeros(2, 3, 4, 6, 6, dtype=torch.uint8)
    with pytest.raises(ValueError, match=r"layout='image'.*layout='clip'"):
        DeepfakeDataPreprocessor()(dict(inputs=clips))
    with pytest.raises(ValueError, match=r"layout='clip'.*NCTHW"):
        DeepfakeDataPreprocessor(layout='clip')(
            dict(inputs=torch.zeros(2, 3, 6, 6, dtype=torch.uint8)))
    with pytest.raises(ValueError, match='pair_collate'):
        DeepfakeDataPreprocessor(layout='clip')(
            dict(inputs=torch.zeros(2, 2, 3, 4, 6, 6, dtype=torch.uint8)))
    with pytest.raises(ValueError, match='Unknown data layout'):
        DeepfakeDataPreprocessor(layout='NCTHW')
