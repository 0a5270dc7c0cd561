# Copyright (c) laanet contributors. All rights reserved.
"""EfficientNet backbone (timm ``tf_efficientnet_b0..b7``) for LAA-Net."""
import math
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from laanet.registry import MODELS
from ..utils.convert_on_load import convert_on_load
from .efficientnet_arch import ARCH_SETTINGS
from .efficientnet_ckpt_convert import (convert_lukemelas_backbone,
                                        is_lukemelas_backbone)


class StaticSamePadConv2d(nn.Conv2d):
    """A convolution with a fixed, precomputed TF "SAME" padding.

    The official LAA-Net backbone (lukemelas EfficientNet-PyTorch) pads
    every strided convolution with a padding computed once for a nominal
    image size (380 px for B4), whatever the real input size. This layer
    reproduces that. Its parameters have the same names as ``nn.Conv2d``.

    Args:
        conv (nn.Conv2d): The convolution to copy (weights are shared).
        padding (tuple[int, int, int, int]): ``(left, right, top, bottom)``.
    """

    def __init__(self, conv: nn.Conv2d, padding: Tuple[int, int, int,
                                                       int]) -> None:
        super().__init__(
            conv.in_channels,
            conv.out_channels,
            conv.kernel_size,
            stride=conv.stride,
            padding=0,
            dilation=conv.dilation,
            groups=conv.groups,
            bias=conv.bias is not None,
            device=conv.weight.device,
            dtype=conv.weight.dtype)
        self.weight = conv.weight
        self.bias = conv.bias
        self.static_padding = tuple(int(p) for p in padding)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pad with the fixed padding, then convolve."""
        if any(self.static_padding):
            x = F.pad(x, self.static_padding)
        return F.conv2d(x, self.weight, self.bias, self.stride, 0,
                        self.dilation, self.groups)

    def extra_repr(self) -> str:
        """Show the static padding next to the usual conv arguments."""
        return super().extra_repr() + f', static_padding={self.static_padding}'


def same_padding(size: int,
                 kernel: int,
                 stride: int,
                 dilation: int = 1) -> Tuple[int, int]:
    """TF "SAME" padding (before, after) of one spatial dimension.

    Args:
        size (int): Input size.
        kernel (int): Kernel size.
        stride (int): Stride.
        dilation (int): Dilation. Defaults to 1.

    Returns:
        tuple[int, int]: Padding before and after.
    """
    pad = max((math.ceil(size / stride) - 1) * stride +
              (kernel - 1) * dilation + 1 - size, 0)
    return pad // 2, pad - pad // 2


@MODELS.register_module()
class EfficientNet(BaseModule):
    """EfficientNet backbone returning LAA-Net's multi-scale endpoints.

    A registered wrapper of timm's TF-ported ``tf_efficientnet_{arch}``
    (same layers as the lukemelas/official LAA-Net backbone, BN eps 1e-3,
    TF "SAME" padding). It returns the feature maps recorded by the
    official ``extract_endpoints``: the map just before each spatial
    reduction, the last block and the head conv (conv_head + BN + Swish).
    For B4 at 384 px:

    ===== ===================== ======= ===========================
    index endpoint              stride  B4 @ 384
    ===== ===================== ======= ===========================
    0     reduction_1 (stage 1) 2       24 × 192 × 192
    1     reduction_2 (stage 2) 4       32 × 96 × 96 (``use_c2``)
    2     reduction_3 (stage 3) 8       56 × 48 × 48 ("C3")
    3     reduction_4 (stage 5) 16      160 × 24 × 24 ("C4")
    4     reduction_5 (stage 7) 32      448 × 12 × 12 ("C5")
    5     reduction_6 (head)    32      1792 × 12 × 12
    ===== ===================== ======= ===========================

    Parameter names follow timm (``conv_stem``, ``bn1``, ``blocks.S.B``,
    ``conv_head``, ``bn2``), so timm's ``tf_efficientnet_b4.ap_in1k`` file
    loads directly with ``init_cfg=dict(type='Pretrained',
    checkpoint=PATH)``. A lukemelas-format file (the official AdvProp
    ``adv-efficientnet-b4-44fb3a87.pth``) is recognised and converted on
    the fly when loaded. Nothing is ever downloaded.

    Args:
        arch (str): ``'b0'`` to ``'b7'``. Defaults to ``'b4'``.
        out_indices (Sequence[int]): Endpoints to return (see the table).
            Defaults to ``(2, 3, 4, 5)``.
        frozen_stages (int): Stages to freeze (``requires_grad=False`` and
            BN in eval mode): 0 freezes the stem, ``i`` the stem and block
            stages 1..i, ``8`` everything including the head conv. -1
            freezes nothing. Defaults to -1.
        norm_eval (bool): Keep every BN layer in eval mode during
            training. Defaults to False.
        drop_path_rate (float): Stochastic depth rate, growing linearly with
            the block index (official: 0.2). Defaults to 0.2.
        bn_momentum (float): PyTorch BN momentum (official: 0.01, i.e. TF
            0.99). Defaults to 0.01.
        static_padding_size (int, optional): ``None`` uses timm's dynamic TF
            "SAME" padding computed from the real input size. An integer
            precomputes the paddings of strided convs for that nominal
            image size, as the official code does (380 for B4): needed for
            identical outputs with official checkpoints. At 384 px it only
            changes stage 3's downsampling conv. Defaults to None.
        init_cfg (dict | list[dict], optional): Initialisation config, e.g.
            ``dict(type='Pretrained', checkpoint='adv-efficientnet-b4.pth')``.
            Defaults to None.
    """

    #: See :data:`.efficientnet_arch.ARCH_SETTINGS`.
    arch_settings = ARCH_SETTINGS
    # block stage (0-based) whose output is each endpoint; -1 = head
    endpoint_stages = (0, 1, 2, 4, 6, -1)

    def __init__(self,
                 arch: str = 'b4',
                 out_indices: Sequence[int] = (2, 3, 4, 5),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 drop_path_rate: float = 0.2,
                 bn_momentum: float = 0.01,
                 static_padding_size: Optional[int] = None,
                 init_cfg: Optional[Union[dict, list]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if arch not in self.arch_settings:
            raise ValueError(f'Unknown arch {arch!r}; choose one of '
                             f'{sorted(self.arch_settings)}.')
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        out_indices = tuple(out_indices)
        num_endpoints = len(self.endpoint_stages)
        if not out_indices or any(not 0 <= i < num_endpoints
                                  for i in out_indices):
            raise ValueError(f'out_indices must be in [0, {num_endpoints}), '
                             f'but got {out_indices}.')
        if list(out_indices) != sorted(set(out_indices)):
            raise ValueError('out_indices must be strictly increasing, but '
                             f'got {out_indices}.')
        if not -1 <= frozen_stages <= 8:
            raise ValueError('frozen_stages must be in [-1, 8], but got '
                             f'{frozen_stages}.')
        if not 0.0 <= drop_path_rate < 1.0:
            raise ValueError('drop_path_rate must be in [0, 1), but got '
                             f'{drop_path_rate}.')
        if static_padding_size is not None and static_padding_size < 1:
            raise ValueError('static_padding_size must be a positive int or '
                             f'None, but got {static_padding_size}.')
        try:
            import timm
        except ImportError as e:  # pragma: no cover - timm is a dependency
            raise ImportError(
                'EfficientNet needs timm: `pip install timm`.') from e

        self.arch = arch
        self.out_indices = out_indices
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.static_padding_size = static_padding_size

        net = timm.create_model(
            f'tf_efficientnet_{arch}',
            pretrained=False,
            num_classes=0,
            drop_path_rate=drop_path_rate,
            bn_momentum=bn_momentum)
        self.conv_stem = net.conv_stem
        self.bn1 = net.bn1
        self.blocks = net.blocks
        self.conv_head = net.conv_head
        self.bn2 = net.bn2
        del net

        self.out_channels = tuple(
            self._endpoint_channels(i) for i in range(num_endpoints))
        if static_padding_size is not None:
            self._apply_static_padding(static_padding_size)
        # timm ImageNet files carry the classifier: not ours.
        convert_on_load(
            self,
            'official/lukemelas EfficientNet',
            is_lukemelas_backbone,
            self._convert_lukemelas,
            drop_otherwise=('classifier.weight', 'classifier.bias'))

    def _endpoint_channels(self, index: int) -> int:
        """Channels of the endpoint ``index``."""
        stage = self.endpoint_stages[index]
        if stage < 0:
            return self.conv_head.out_channels
        last = self.blocks[stage][-1]
        for name in ('conv_pwl', 'conv_pw'):
            conv = getattr(last, name, None)
            if conv is not None:
                return conv.out_channels
        raise RuntimeError(f'Cannot infer the channels of stage {stage}.')

    def _apply_static_padding(self, image_size: int) -> None:
        """Replace timm's dynamic-padding strided convs by static ones.

        Walks the convs in forward order, tracking the nominal map size the
        way the official code does (``ceil(size / stride)`` after each
        strided conv), and fixes each strided conv's padding for it.
        """
        size = image_size

        def fix(parent: nn.Module, name: str, size: int) -> int:
            conv = getattr(parent, name)
            stride = conv.stride[0]
            if stride == 1:
                return size
            pad_h = same_padding(size, conv.kernel_size[0], stride,
                                 conv.dilation[0])
            pad_w = same_padding(size, conv.kernel_size[1], conv.stride[1],
                                 conv.dilation[1])
            setattr(parent, name, StaticSamePadConv2d(conv, pad_w + pad_h))
            return math.ceil(size / stride)

        size = fix(self, 'conv_stem', size)
        for stage in self.blocks:
            for block in stage:
                size = fix(block, 'conv_dw', size)

    def _convert_lukemelas(self, state_dict: dict) -> dict:
        """Lukemelas keys → this backbone's (timm) keys."""
        return convert_lukemelas_backbone(
            state_dict, stage_depths=[len(s) for s in self.blocks])

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Return the endpoints selected by ``out_indices``.

        Args:
            x (torch.Tensor): Images (N, 3, H, W), normalised to [-1, 1].

        Returns:
            tuple[torch.Tensor]: The endpoints, in ``out_indices`` order.
        """
        wanted = set(self.out_indices)
        last_needed = max(self.endpoint_stages[i] if self.endpoint_stages[i] >=
                          0 else len(self.blocks) for i in wanted)
        outs = {}
        x = self.bn1(self.conv_stem(x))
        for stage_idx, stage in enumerate(self.blocks):
            if stage_idx > last_needed:
                break
            x = stage(x)
            if stage_idx in self.endpoint_stages:
                idx = self.endpoint_stages.index(stage_idx)
                if idx in wanted:
                    outs[idx] = x
        if 5 in wanted:
            outs[5] = self.bn2(self.conv_head(x))
        return tuple(outs[i] for i in self.out_indices)

    def _freeze_stages(self) -> None:
        """Freeze the stages selected by ``frozen_stages``."""
        if self.frozen_stages < 0:
            return
        modules = [self.conv_stem, self.bn1]
        modules += list(self.blocks[:self.frozen_stages])
        if self.frozen_stages > len(self.blocks):
            modules += [self.conv_head, self.bn2]
        for module in modules:
            module.eval()
            for param in module.parameters():
                param.requires_grad = False

    def init_weights(self) -> None:
        """Initialise (timm's init, or ``init_cfg``), then freeze."""
        super().init_weights()
        self._freeze_stages()

    def train(self, mode: bool = True) -> 'EfficientNet':
        """Set train mode, keeping frozen stages and (norm_eval) BN frozen.

        Args:
            mode (bool): Train mode. Defaults to True.

        Returns:
            EfficientNet: self.
        """
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
