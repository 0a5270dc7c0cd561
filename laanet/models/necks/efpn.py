# Copyright (c) laanet contributors. All rights reserved.
"""E-FPN: LAA-Net's enhanced feature pyramid decoder."""
import math
from collections import OrderedDict
from typing import List, Optional, Sequence, Tuple, Union

import torch
from mmengine.model import BaseModule
from torch import nn

from laanet.registry import MODELS
from ..utils import InceptionBlock, SELayer, conv_bn_relu


def gated_fusion(decoded: torch.Tensor, lateral: torch.Tensor) -> torch.Tensor:
    """LAA-Net's sigmoid-inverse gating ``cat[D, (1 − σ(D)) ⊙ C]``.

    Args:
        decoded (torch.Tensor): Decoder feature D (N, C, H, W).
        lateral (torch.Tensor): Backbone feature C of the same shape.

    Returns:
        torch.Tensor: (N, 2C, H, W).
    """
    if decoded.shape != lateral.shape:
        raise ValueError('gated_fusion needs equal shapes, but got '
                         f'{tuple(decoded.shape)} and {tuple(lateral.shape)}.')
    return torch.cat([decoded, (1 - torch.sigmoid(decoded)) * lateral], 1)


@MODELS.register_module()
class EFPN(BaseModule):
    """The E-FPN decoder of LAA-Net (reference §1.3–§1.4).

    With ``in_channels = (c3, c4, c5, c_head)`` (B4: 56, 160, 448, 1792,
    strides 8, 16, 32, 32):

    1. ``D1 = top_block(x_head)``: 3×3 conv-BN-ReLU to c5 channels.
    2. ``up_blocks[0](G(D1, x5))``: 3×3 conv-BN-ReLU to c4, 4×4 stride-2
       transposed conv, BN (no ReLU) → D2 at stride 16.
    3. ``up_blocks[1](G(D2, x4))``: the same to c3 → D3 at stride 8.
    4. ``up_blocks[2](G(D3, x3))``: inception block (2·c3 → 2·c3), 4×4
       stride-2 transposed conv, BN, then ReLU → 2·c3 channels at stride 4
       (B4: 112 × 96 × 96 at 384 px).

    ``G(D, C) = cat[D, (1 − σ(D)) ⊙ C]`` is the sigmoid-inverse gating.
    Dropout (p=0.4 for B4) is applied to every backbone feature first
    (train mode only). Transposed convs are initialised from
    ``N(0, sqrt(2 / (k·k·out)))``, their BNs to 1/0; the other convs keep
    PyTorch's default init, as in the official code.

    Args:
        in_channels (Sequence[int]): Backbone channels ``(c3, c4, c5,
            c_head)``, or ``(c2, c3, c4, c5, c_head)`` with ``use_c2``.
            Defaults to the B4 values ``(56, 160, 448, 1792)``.
        dropout (float): Dropout on the backbone features. Defaults to 0.4.
        use_c2 (bool): Also fuse the stride-4 backbone map: after the last
            BN, ``G(D4, conv_bn_relu(c2 → 2·c3)(x2))`` replaces the final
            ReLU and the output has 4·c3 channels. Defaults to False.
        se_layer (bool): Apply an :class:`SELayer` after each fusion.
            Defaults to False.
        shared_inception_pw (bool): Share the inception block's 1×1 conv
            between its four branches, as the official model does (needed
            for official checkpoints). Defaults to True.
        bn_momentum (float): Decoder BN momentum. Defaults to 0.1.
        init_cfg (dict | list[dict], optional): Initialisation config.
            Defaults to None.
    """

    def __init__(self,
                 in_channels: Sequence[int] = (56, 160, 448, 1792),
                 dropout: float = 0.4,
                 use_c2: bool = False,
                 se_layer: bool = False,
                 shared_inception_pw: bool = True,
                 bn_momentum: float = 0.1,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        in_channels = list(in_channels)
        expected = 5 if use_c2 else 4
        if len(in_channels) != expected:
            raise ValueError(
                f'EFPN needs {expected} in_channels ('
                f'{"c2, " if use_c2 else ""}c3, c4, c5, c_head), but got '
                f'{in_channels}.')
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f'dropout must be in [0, 1), but got {dropout}.')
        self.in_channels = in_channels
        self.use_c2 = use_c2
        self.with_se = se_layer
        c3, c4, c5, c_head = in_channels[-4:]
        self.out_channels = 4 * c3 if use_c2 else 2 * c3

        self.dropout = nn.Dropout(p=dropout)
        self.top_block = conv_bn_relu(c_head, c5, 3, bn_momentum=bn_momentum)
        self.up_blocks = nn.ModuleList([
            self._up_block(
                conv_bn_relu(2 * c5, c4, 3, bn_momentum=bn_momentum), c4,
                bn_momentum),
            self._up_block(
                conv_bn_relu(2 * c4, c3, 3, bn_momentum=bn_momentum), c3,
                bn_momentum),
            self._up_block(
                InceptionBlock(
                    2 * c3,
                    2 * c3,
                    shared_pw=shared_inception_pw,
                    bn_momentum=bn_momentum), 2 * c3, bn_momentum),
        ])
        if use_c2:
            self.c2_block = conv_bn_relu(
                in_channels[0], 2 * c3, 3, bn_momentum=bn_momentum)
        if se_layer:
            fused = [2 * c5, 2 * c4, 2 * c3] + ([4 * c3] if use_c2 else [])
            self.se_layers = nn.ModuleList(SELayer(c) for c in fused)
        self.relu = nn.ReLU(inplace=True)
        self._init_up_blocks()

    @staticmethod
    def _up_block(block: nn.Module, channels: int,
                  bn_momentum: float) -> nn.Sequential:
        """``block`` → ×2 transposed conv (k4, s2, p1) → BN."""
        return nn.Sequential(
            OrderedDict([
                ('block', block),
                ('deconv',
                 nn.ConvTranspose2d(
                     channels, channels, 4, stride=2, padding=1, bias=False)),
                ('bn', nn.BatchNorm2d(channels, momentum=bn_momentum)),
            ]))

    def _init_up_blocks(self) -> None:
        """Official init of the transposed convs and the decoder BNs."""
        for up in self.up_blocks:
            k = up.deconv.kernel_size[0]
            std = math.sqrt(2.0 / (k * k * up.deconv.out_channels))
            nn.init.normal_(up.deconv.weight, 0.0, std)
        for block in [self.top_block, *self.up_blocks]:
            for m in block.modules():
                if isinstance(m, nn.BatchNorm2d):
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)

    def _fuse(self, idx: int, decoded: torch.Tensor,
              lateral: torch.Tensor) -> torch.Tensor:
        """Gated fusion, followed by the SE layer when enabled."""
        out = gated_fusion(decoded, lateral)
        if self.with_se:
            out = self.se_layers[idx](out)
        return out

    def forward(self, inputs: Sequence[torch.Tensor]) -> Tuple[torch.Tensor]:
        """Decode the backbone features.

        Args:
            inputs (Sequence[torch.Tensor]): Backbone features in the order
                of ``in_channels``.

        Returns:
            tuple[torch.Tensor]: One map, (N, out_channels, H/4, W/4).
        """
        if not isinstance(inputs, (tuple, list)):
            raise TypeError('EFPN takes a tuple or list of feature maps, '
                            f'but got {type(inputs)}.')
        assert len(inputs) == len(self.in_channels), (
            f'EFPN expects {len(self.in_channels)} feature maps, got '
            f'{len(inputs)}.')
        feats = [self.dropout(x) for x in inputs]
        x3, x4, x5, x_head = feats[-4:]
        out = self._fuse(0, self.top_block(x_head), x5)
        out = self._fuse(1, self.up_blocks[0](out), x4)
        out = self._fuse(2, self.up_blocks[1](out), x3)
        out = self.up_blocks[2](out)
        if self.use_c2:
            out = self._fuse(3, out, self.c2_block(feats[0]))
        else:
            out = self.relu(out)
        return (out, )
