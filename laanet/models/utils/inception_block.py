# Copyright (c) laanet contributors. All rights reserved.
"""The inception stage of the E-FPN neck."""
import torch
from torch import nn

from .conv_bn_relu import conv_bn_relu


class InceptionBlock(nn.Module):
    """The inception stage of LAA-Net's E-FPN (reference §1.4).

    ``out = cat[pw(x), conv3(pw(x)), conv5(pw(x)), pw'(maxpool3(x))]``
    with ``pw`` a 1×1 conv-BN-ReLU to ``out_channels // 4`` channels.
    The official block uses **one** ``pw`` for all four branches
    (``shared_pw=True``, needed to load official checkpoints; the first
    branch is then also the input of the 3×3 and 5×5 branches and is
    computed once). ``shared_pw=False`` gives each branch its own 1×1
    block (``pw``, ``pw_conv3``, ``pw_conv5``, ``pw_pool``).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels, divisible by 4.
        shared_pw (bool): Share the 1×1 block between the branches.
            Defaults to True.
        bn_momentum (float): BN momentum. Defaults to 0.1.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 shared_pw: bool = True,
                 bn_momentum: float = 0.1) -> None:
        super().__init__()
        if out_channels % 4:
            raise ValueError('InceptionBlock out_channels must be divisible '
                             f'by 4, but got {out_channels}.')
        mid = out_channels // 4
        self.shared_pw = shared_pw
        self.pw = conv_bn_relu(in_channels, mid, 1, bn_momentum=bn_momentum)
        if not shared_pw:
            self.pw_conv3 = conv_bn_relu(
                in_channels, mid, 1, bn_momentum=bn_momentum)
            self.pw_conv5 = conv_bn_relu(
                in_channels, mid, 1, bn_momentum=bn_momentum)
            self.pw_pool = conv_bn_relu(
                in_channels, mid, 1, bn_momentum=bn_momentum)
        self.conv3 = conv_bn_relu(mid, mid, 3, bn_momentum=bn_momentum)
        self.conv5 = conv_bn_relu(mid, mid, 5, bn_momentum=bn_momentum)
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Concatenate the four branches along the channels."""
        branch1 = self.pw(x)
        if self.shared_pw:
            in3 = in5 = branch1
            pooled = self.pw(self.pool(x))
        else:
            in3, in5 = self.pw_conv3(x), self.pw_conv5(x)
            pooled = self.pw_pool(self.pool(x))
        return torch.cat(
            [branch1, self.conv3(in3),
             self.conv5(in5), pooled], dim=1)
