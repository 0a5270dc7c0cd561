# Copyright (c) laanet contributors. All rights reserved.
import torch

from laanet.engine import amp_autocast


def test_amp_autocast_on_cpu_is_bfloat16():
    a, b = torch.randn(4, 8), torch.randn(8, 3)
    with amp_autocast('cpu'):
        assert torch.is_autocast_enabled('cpu')
        assert torch.get_autocast_dtype('cpu') == torch.bfloat16
        assert (a @ b).dtype == torch.bfloat16
    with amp_autocast(torch.device('cpu'), enabled=False):
        assert not torch.is_autocast_enabled('cpu')
        assert (a @ b).dtype == torch.float32
