# Copyright (c) laanet contributors. All rights reserved.
"""The lukemelas EfficientNet-PyTorch key map of :class:`EfficientNet`.

Owns the conversion of lukemelas-format backbone keys (``_conv_stem``,
``_bn0``, ``_blocks.N.*``, ``_conv_head``, ``_bn1``: the official LAA-Net
backbone and ``adv-efficientnet-b4-44fb3a87.pth``) onto the timm layout
of :class:`~laanet.models.backbones.EfficientNet`, whose load-state-dict
pre-hook calls it (through :func:`~laanet.models.utils.convert_on_load`).
The flat block index N maps to timm's (stage, block) through the stage
depths of the arch.
"""
import re
from collections import OrderedDict
from typing import Dict, Mapping, Optional, Sequence

import torch

from .efficientnet_arch import (ARCH_SETTINGS, arch_of_head_channels,
                                stage_depths_of)


def is_lukemelas_backbone(state_dict: Mapping) -> bool:
    """Whether a state dict holds a lukemelas-format EfficientNet.

    Args:
        state_dict (Mapping): Keys relative to the backbone.

    Returns:
        bool: True if ``_conv_stem.weight`` and ``_blocks.0.*`` keys exist.
    """
    return '_conv_stem.weight' in state_dict and any(
        k.startswith('_blocks.0.') for k in state_dict)


_BLOCK_KEY = re.compile(r'^_blocks\.(\d+)\.(.+)$')


# lukemelas MBConv layer names -> timm names, for blocks with an expansion
# conv (InvertedResidual) and without one (DepthwiseSeparableConv).
_IR_NAMES = {
    '_expand_conv': 'conv_pw',
    '_bn0': 'bn1',
    '_depthwise_conv': 'conv_dw',
    '_bn1': 'bn2',
    '_se_reduce': 'se.conv_reduce',
    '_se_expand': 'se.conv_expand',
    '_project_conv': 'conv_pwl',
    '_bn2': 'bn3',
}


_DS_NAMES = {
    '_depthwise_conv': 'conv_dw',
    '_bn1': 'bn1',
    '_se_reduce': 'se.conv_reduce',
    '_se_expand': 'se.conv_expand',
    '_project_conv': 'conv_pw',
    '_bn2': 'bn2',
}


_STEM_HEAD_NAMES = {
    '_conv_stem': 'conv_stem',
    '_bn0': 'bn1',
    '_conv_head': 'conv_head',
    '_bn1': 'bn2',
}


def _rename(name: str, table: Dict[str, str]) -> Optional[str]:
    """Rename ``layer.param`` with ``table``; None when not in the table."""
    layer, _, param = name.rpartition('.')
    for old, new in table.items():
        if layer == old:
            return f'{new}.{param}'
    return None


def convert_lukemelas_backbone(state_dict: Mapping,
                               stage_depths: Optional[Sequence[int]] = None,
                               keep_fc: bool = False) -> 'OrderedDict':
    """Convert lukemelas EfficientNet keys to laanet's (timm) backbone keys.

    ``_blocks.N`` is mapped to ``blocks.S.B`` through the stage depths
    (B4: 2, 4, 4, 6, 6, 8, 2 blocks). A block with an ``_expand_conv`` is
    an inverted residual (timm ``conv_pw/bn1/conv_dw/bn2/se/conv_pwl/bn3``),
    one without is a depthwise-separable block (``conv_dw/bn1/se/
    conv_pw/bn2``). ``_fc.*`` (ImageNet classifier) is dropped unless
    ``keep_fc``. float64 tensors are cast to float32.

    Args:
        state_dict (Mapping): Backbone keys (``_conv_stem.weight``, ...).
        stage_depths (Sequence[int], optional): Blocks per stage. Defaults
            to the depths implied by the number of blocks (B0..B7).
        keep_fc (bool): Keep ``_fc.*`` as ``classifier.*``. Defaults to
            False.

    Returns:
        OrderedDict: The converted state dict.

    Raises:
        ValueError: If a key cannot be mapped or the number of blocks does
            not match ``stage_depths``.
    """
    block_ids = sorted({
        int(m.group(1))
        for m in (_BLOCK_KEY.match(k) for k in state_dict) if m
    })
    num_blocks = len(block_ids)
    if stage_depths is None:
        candidates = [
            a for a in ARCH_SETTINGS
            if sum(stage_depths_of(a)) == num_blocks
        ]
        if not candidates:
            raise ValueError(f'{num_blocks} EfficientNet blocks match no '
                             'arch among B0..B7.')
        stage_depths = stage_depths_of(candidates[0])
    stage_depths = list(stage_depths)
    if block_ids != list(range(sum(stage_depths))):
        head = state_dict.get('_conv_head.weight')
        arch = (
            arch_of_head_channels(head.shape[0])
            if head is not None else 'unknown')
        raise ValueError(
            f'The checkpoint has {num_blocks} EfficientNet blocks '
            f'(EfficientNet-{arch}), but the model expects '
            f'{sum(stage_depths)} blocks in stages {stage_depths}.')
    block_pos = []
    for stage, depth in enumerate(stage_depths):
        block_pos += [(stage, b) for b in range(depth)]
    expanded = {
        i: f'_blocks.{i}._expand_conv.weight' in state_dict
        for i in block_ids
    }

    out = OrderedDict()
    unmapped = []
    for key, value in state_dict.items():
        if isinstance(value, torch.Tensor) and value.dtype == torch.float64:
            value = value.float()
        m = _BLOCK_KEY.match(key)
        if m:
            idx, rest = int(m.group(1)), m.group(2)
            table = _IR_NAMES if expanded[idx] else _DS_NAMES
            new = _rename(rest, table)
            if new is None:
                unmapped.append(key)
                continue
            stage, pos = block_pos[idx]
            out[f'blocks.{stage}.{pos}.{new}'] = value
        elif key.startswith('_fc.'):
            if keep_fc:
                out['classifier.' + key[len('_fc.'):]] = value
        else:
            new = _rename(key, _STEM_HEAD_NAMES)
            if new is None:
                unmapped.append(key)
                continue
            out[new] = value
    if unmapped:
        raise ValueError('Cannot map these lukemelas EfficientNet keys: ' +
                         ', '.join(unmapped))
    return out
