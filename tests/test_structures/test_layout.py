# Copyright (c) laanet contributors. All rights reserved.
"""The declared data layout: sample layouts and how an item declares a
pair."""
import pytest
import torch

from laanet.structures import (LAYOUTS, DeepfakeDataSample, batch_ndim,
                               check_layout, fake_video_id, is_pair_item)


def test_layouts_and_their_batch_rank():
    assert LAYOUTS == {'image': 'NCHW', 'clip': 'NCTHW'}
    assert batch_ndim('image') == 4 and batch_ndim('clip') == 5
    with pytest.raises(ValueError, match="pair.*layout of its views"):
        check_layout('pair')


def test_a_pair_is_declared_by_its_samples_not_by_rank():
    """A (2, C, H, W) image pair and a (C, T, H, W) clip have one rank;
    only the list of per-view samples marks the pair."""
    pair = dict(inputs=torch.zeros(2, 3, 4, 4),
                data_samples=[DeepfakeDataSample(), DeepfakeDataSample()])
    clip = dict(inputs=torch.zeros(3, 2, 4, 4),
                data_samples=DeepfakeDataSample())
    assert is_pair_item(pair) and not is_pair_item(clip)


def test_fake_video_id():
    assert fake_video_id('ffpp/000', 'SBI') == 'SBI/ffpp/000'
    assert fake_video_id(None, 'BI') is None
