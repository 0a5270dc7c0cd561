# Copyright (c) laanet contributors. All rights reserved.
"""Conversion of official LAA-Net and lukemelas EfficientNet state dicts.

The official LAA-Net model (``PoseEfficientNet``) uses the lukemelas
EfficientNet-PyTorch key layout for its backbone (``_conv_stem``, ``_bn0``,
``_blocks.N.*``, ``_conv_head``, ``_bn1``) and plain ``nn.Sequential``
indices for its decoder and heads (``deconv_1..4``, ``hm``, ``cls``,
``cstency``); see ``tests/data/official-state-dict.txt``. The functions
here map those keys onto laanet's modules (``backbone`` = timm layout,
``neck`` = :class:`EFPN`, ``heatmap_head`` / ``consistency_head`` /
``cls_head``). They are used by ``tools/model_converters/
official_to_laanet.py`` and by load-state-dict pre-hooks, so an official
file given to ``load_from``, ``init_model`` or ``load_checkpoint`` loads
unchanged.
"""
import math
import re
from collections import OrderedDict
from typing import Dict, List, Mapping, Optional, Sequence

import torch

# Stage depths (blocks per stage) of EfficientNet B0..B7, as timm and the
# lukemelas code round them (ceil(depth_multiplier * base repeats)).
BASE_REPEATS = (1, 2, 2, 3, 3, 4, 1)
DEPTH_MULTIPLIERS = {
    'b0': 1.0,
    'b1': 1.1,
    'b2': 1.2,
    'b3': 1.4,
    'b4': 1.8,
    'b5': 2.2,
    'b6': 2.6,
    'b7': 3.1
}
# Channels of the head conv (the 1792 of B4), to name an arch in errors.
HEAD_CHANNELS = {
    'b0': 1280,
    'b1': 1280,
    'b2': 1408,
    'b3': 1536,
    'b4': 1792,
    'b5': 2048,
    'b6': 2304,
    'b7': 2560
}


def stage_depths_of(arch: str) -> List[int]:
    """Blocks per stage of an EfficientNet arch.

    Args:
        arch (str): ``'b0'`` .. ``'b7'``.

    Returns:
        list[int]: Seven stage depths, e.g. ``[2, 4, 4, 6, 6, 8, 2]`` for B4.
    """
    if arch not in DEPTH_MULTIPLIERS:
        raise ValueError(f'Unknown EfficientNet arch {arch!r}.')
    mult = DEPTH_MULTIPLIERS[arch]
    return [int(math.ceil(mult * r)) for r in BASE_REPEATS]


def arch_of_head_channels(channels: int) -> str:
    """Name the arch(s) whose head conv has ``channels`` outputs."""
    names = [a for a, c in HEAD_CHANNELS.items() if c == channels]
    return '/'.join(names) if names else f'unknown ({channels} channels)'


def strip_module_prefix(state_dict: Mapping) -> 'OrderedDict':
    """Remove DataParallel's ``module.`` prefix from every key."""
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state_dict.items())


def is_lukemelas_backbone(state_dict: Mapping) -> bool:
    """Whether a state dict holds a lukemelas-format EfficientNet.

    Args:
        state_dict (Mapping): Keys relative to the backbone.

    Returns:
        bool: True if ``_conv_stem.weight`` and ``_blocks.0.*`` keys exist.
    """
    return '_conv_stem.weight' in state_dict and any(
        k.startswith('_blocks.0.') for k in state_dict)


def is_official_laanet(state_dict: Mapping) -> bool:
    """Whether a state dict is an official LAA-Net ``PoseEfficientNet``.

    Args:
        state_dict (Mapping): A state dict (``module.`` prefixes allowed).

    Returns:
        bool: True if it has the official backbone, decoder and head keys.
    """
    keys = set(strip_module_prefix(state_dict).keys())
    return ('_conv_stem.weight' in keys and 'deconv_1.0.0.weight' in keys
            and any(k.startswith('hm.') for k in keys))


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
            a for a in DEPTH_MULTIPLIERS
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


# Official decoder/head module prefixes -> laanet module prefixes.
OFFICIAL_PREFIX_MAP = OrderedDict([
    ('inception_block.pw_block.0.', 'neck.up_blocks.2.block.pw.conv.'),
    ('inception_block.pw_block.1.', 'neck.up_blocks.2.block.pw.bn.'),
    ('inception_block.conv3_block.0.', 'neck.up_blocks.2.block.conv3.conv.'),
    ('inception_block.conv3_block.1.', 'neck.up_blocks.2.block.conv3.bn.'),
    ('inception_block.conv5_block.0.', 'neck.up_blocks.2.block.conv5.conv.'),
    ('inception_block.conv5_block.1.', 'neck.up_blocks.2.block.conv5.bn.'),
    ('deconv_1.0.0.', 'neck.top_block.conv.'),
    ('deconv_1.0.1.', 'neck.top_block.bn.'),
    ('deconv_2.0.0.', 'neck.up_blocks.0.block.conv.'),
    ('deconv_2.0.1.', 'neck.up_blocks.0.block.bn.'),
    ('deconv_2.1.', 'neck.up_blocks.0.deconv.'),
    ('deconv_2.2.', 'neck.up_blocks.0.bn.'),
    ('deconv_3.0.0.', 'neck.up_blocks.1.block.conv.'),
    ('deconv_3.0.1.', 'neck.up_blocks.1.block.bn.'),
    ('deconv_3.1.', 'neck.up_blocks.1.deconv.'),
    ('deconv_3.2.', 'neck.up_blocks.1.bn.'),
    ('deconv_4.1.', 'neck.up_blocks.2.deconv.'),
    ('deconv_4.2.', 'neck.up_blocks.2.bn.'),
    ('hm.0.', 'heatmap_head.conv.'),
    ('hm.1.', 'heatmap_head.bn.'),
    ('hm.3.', 'heatmap_head.final_conv.'),
    ('cstency.0.', 'consistency_head.conv.'),
    ('cstency.1.', 'consistency_head.bn.'),
    ('cstency.3.', 'consistency_head.final_conv.'),
    ('cls.0.', 'cls_head.conv.'),
    ('cls.1.', 'cls_head.bn.'),
    ('cls.5.', 'cls_head.fc.'),
])
_BACKBONE_KEY = re.compile(r'^(_conv_stem|_bn0|_blocks|_conv_head|_bn1)\.')


def convert_official_state_dict(
        state_dict: Mapping,
        stage_depths: Optional[Sequence[int]] = None) -> 'OrderedDict':
    """Convert an official LAA-Net state dict to laanet's ``LAANet`` keys.

    Steps: strip ``module.``; check that every duplicated ``deconv_4.0.*``
    tensor equals its ``inception_block.*`` twin and drop it; map the
    backbone with :func:`convert_lukemelas_backbone` under ``backbone.``
    and the decoder and heads with :data:`OFFICIAL_PREFIX_MAP`; cast float64
    to float32.

    Args:
        state_dict (Mapping): The official ``state_dict``.
        stage_depths (Sequence[int], optional): Backbone stage depths.
            Defaults to those implied by the number of blocks.

    Returns:
        OrderedDict: laanet keys -> float32 tensors.

    Raises:
        ValueError: If a duplicated inception tensor differs from its twin
            or if keys cannot be mapped (all such keys are listed).
    """
    state_dict = strip_module_prefix(state_dict)
    backbone, rest = OrderedDict(), OrderedDict()
    for key, value in state_dict.items():
        (backbone if _BACKBONE_KEY.match(key) else rest)[key] = value

    out = OrderedDict(('backbone.' + k, v)
                      for k, v in convert_lukemelas_backbone(
                          backbone, stage_depths=stage_depths).items())

    errors, unmapped = [], []
    for key, value in rest.items():
        if key.startswith('deconv_4.0.'):
            twin = 'inception_block.' + key[len('deconv_4.0.'):]
            if twin not in rest:
                errors.append(f'{key} has no twin {twin}')
            elif not torch.equal(value, rest[twin]):
                errors.append(f'{key} differs from {twin}')
            continue
        for old, new in OFFICIAL_PREFIX_MAP.items():
            if key.startswith(old):
                if value.dtype == torch.float64:
                    value = value.float()
                out[new + key[len(old):]] = value
                break
        else:
            unmapped.append(key)
    if errors:
        raise ValueError('The duplicated inception tensors of the official '
                         'checkpoint are inconsistent: ' + '; '.join(errors))
    if unmapped:
        raise ValueError('Cannot map these official LAA-Net keys: ' +
                         ', '.join(unmapped))
    return out


def check_state_dict_matches(converted: Mapping, expected: Mapping) -> None:
    """Check that a converted state dict fits a model's state dict.

    Args:
        converted (Mapping): The converted state dict.
        expected (Mapping): ``model.state_dict()`` of the target model.

    Raises:
        ValueError: Listing the unexpected keys, the missing keys and the
            shape mismatches (with both shapes); for a backbone of another
            size the message names the architecture of the checkpoint.
    """
    unexpected = [k for k in converted if k not in expected]
    missing = [k for k in expected if k not in converted]
    mismatched = [
        f'{k}: checkpoint {tuple(converted[k].shape)} vs model '
        f'{tuple(expected[k].shape)}' for k in converted
        if k in expected and converted[k].shape != expected[k].shape
    ]
    if not (unexpected or missing or mismatched):
        return
    lines = []
    head = [k for k in converted if k.endswith('conv_head.weight')]
    head_m = [k for k in expected if k.endswith('conv_head.weight')]
    if head and head_m:
        c, m = converted[head[0]].shape[0], expected[head_m[0]].shape[0]
        if c != m:
            lines.append(
                f'The checkpoint is EfficientNet-{arch_of_head_channels(c)} '
                f'but the model is EfficientNet-{arch_of_head_channels(m)}.')
    if unexpected:
        lines.append(f'{len(unexpected)} unexpected keys: ' +
                     ', '.join(unexpected))
    if missing:
        lines.append(f'{len(missing)} missing keys: ' + ', '.join(missing))
    if mismatched:
        lines.append(f'{len(mismatched)} shape mismatches: ' +
                     '; '.join(mismatched))
    raise ValueError('\n'.join(lines))
