# Copyright (c) laanet contributors. All rights reserved.
"""Conv-BN-ReLU block shared by the E-FPN neck."""
from collections import OrderedDict

from torch import nn


def conv_bn_relu(in_channels: int,
                 out_channels: int,
                 kernel_size: int = 3,
                 bias: bool = False,
                 bn_momentum: float = 0.1,
                 bn_eps: float = 1e-5) -> nn.Sequential:
    """Conv2d (stride 1, "same" padding) → BatchNorm2d → ReLU.

    Children are named ``conv``, ``bn`` and ``act``. The conv keeps
    PyTorch's default initialisation, as in the official code.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int): Odd kernel size. Defaults to 3.
        bias (bool): Conv bias. Defaults to False.
        bn_momentum (float): BN momentum. Defaults to 0.1.
        bn_eps (float): BN epsilon. Defaults to 1e-5.

    Returns:
        nn.Sequential: The block.
    """
    if kernel_size % 2 != 1:
        raise ValueError(f'kernel_size must be odd, but got {kernel_size}.')
    return nn.Sequential(
        OrderedDict([
            ('conv',
             nn.Conv2d(
                 in_channels,
                 out_channels,
                 kernel_size,
                 padding=kernel_size // 2,
                 bias=bias)),
            ('bn',
             nn.BatchNorm2d(out_channels, eps=bn_eps, momentum=bn_momentum)),
            ('act', nn.ReLU(inplace=True)),
        ]))
