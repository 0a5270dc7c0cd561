# Copyright (c) laanet contributors. All rights reserved.
"""The official LAA-Net key map of :class:`LAANet`.

The official LAA-Net model (``PoseEfficientNet``) uses the lukemelas
EfficientNet-PyTorch key layout for its backbone and plain
``nn.Sequential`` indices for its decoder and heads (``deconv_1..4``,
``hm``, ``cls``, ``cstency``); see ``tests/data/official-state-dict.txt``.
This module owns the map of those keys onto laanet's modules
(``backbone`` through :mod:`..backbones.efficientnet_ckpt_convert`,
``neck`` = :class:`EFPN`, ``heatmap_head`` / ``consistency_head`` /
``cls_head``). It is used by the :class:`LAANet` load-state-dict
pre-hook, so an official file given to ``load_from``, ``init_model`` or
``load_checkpoint`` loads unchanged, and so by ``tools/model_converters/
convert_checkpoint.py``. It is the one place that knows the official
output names (``hm``, ``cls``, ``cstency``); laanet calls them
``heatmap``, ``cls`` and ``consistency``.
"""
import re
from collections import OrderedDict
from typing import Mapping, Optional, Sequence

import torch

from ..backbones.efficientnet_arch import arch_of_head_channels
from ..backbones.efficientnet_ckpt_convert import convert_lukemelas_backbone
from ..utils.convert_on_load import strip_module_prefix


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
