# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.necks import GlobalAveragePooling


def test_pools_tensors_and_tuples():
    x = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(2, 3, 4, 5)
    gap = GlobalAveragePooling()
    assert torch.allclose(gap(x), x.mean(dim=(2, 3)))
    out = gap((x, x * 2))
    assert isinstance(out, tuple) and len(out) == 2
    assert out[1].shape == (2, 3)
    assert torch.allclose(out[1], 2 * x.mean(dim=(2, 3)))
    with pytest.raises(TypeError):
        gap('not a tensor')
