# Copyright (c) laanet contributors. All rights reserved.
"""The official SBI checkpoint layout and its map onto
:class:`DeepfakeClassifier`.

SBI (Shiohara and Yamasaki, CVPR 2022) releases its weights (FF++ raw and
c23) as ``torch.save({'model': state_dict, 'optimizer': ..., 'epoch':
...})`` of a module whose ``net`` is an efficientnet_pytorch
``EfficientNet`` (lukemelas layout) with a 2-output ``_fc``. This module
owns the recognition and the key map: ``net._fc.*`` becomes
``cls_head.fc.*`` and every other ``net.*`` key a backbone key (through
:mod:`..backbones.efficientnet_ckpt_convert`). It is used by the
:class:`DeepfakeClassifier` load-state-dict pre-hook (so ``load_from``,
``init_model`` and ``tools/test.py`` take the released files as they
are) and so by ``tools/model_converters/convert_checkpoint.py``.
"""
from collections import OrderedDict
from typing import Mapping, Optional, Sequence

from ..backbones.efficientnet_ckpt_convert import convert_lukemelas_backbone
from .laanet_ckpt_convert import check_state_dict_matches

__all__ = [
    'check_state_dict_matches', 'convert_sbi_state_dict', 'is_official_sbi',
    'unwrap_sbi_checkpoint'
]

#: Prefix of the network in SBI's ``Detector`` module.
SBI_NET_PREFIX = 'net.'
#: Prefix of the classifier's linear layer in laanet.
HEAD_FC_PREFIX = 'cls_head.fc.'


def unwrap_sbi_checkpoint(checkpoint: Mapping) -> Mapping:
    """The state dict of an SBI file: its ``model`` entry when present.

    Args:
        checkpoint (Mapping): What ``torch.load`` returned.

    Returns:
        Mapping: The ``net.*`` state dict (or ``checkpoint`` itself when it
        has no ``model`` entry).
    """
    model = checkpoint.get('model') if isinstance(checkpoint,
                                                  Mapping) else None
    return model if isinstance(model, Mapping) else checkpoint


def is_official_sbi(state_dict: Mapping) -> bool:
    """Whether a state dict (or a whole SBI file) is an official SBI model.

    Args:
        state_dict (Mapping): A state dict, or an SBI checkpoint dict.

    Returns:
        bool: True if it has ``net._conv_stem.weight`` and ``net._fc.*``.
    """
    keys = set(unwrap_sbi_checkpoint(state_dict))
    return (SBI_NET_PREFIX + '_conv_stem.weight' in keys
            and SBI_NET_PREFIX + '_fc.weight' in keys)


def convert_sbi_state_dict(
        state_dict: Mapping,
        stage_depths: Optional[Sequence[int]] = None) -> 'OrderedDict':
    """Convert an SBI state dict to :class:`DeepfakeClassifier` keys.

    Args:
        state_dict (Mapping): An SBI file's dict or its ``model`` entry.
        stage_depths (Sequence[int], optional): Blocks per backbone stage;
            inferred from the number of blocks when None.

    Returns:
        OrderedDict: ``backbone.*`` (timm layout) and ``cls_head.fc.*``
        keys, float32.

    Raises:
        ValueError: If a key lies outside ``net.`` or cannot be mapped.
    """
    state_dict = unwrap_sbi_checkpoint(state_dict)
    outside = [k for k in state_dict if not k.startswith(SBI_NET_PREFIX)]
    if outside:
        raise ValueError('An SBI state dict holds only "net.*" keys; '
                         f'unexpected keys: {", ".join(outside[:10])}')
    net = OrderedDict(
        (k[len(SBI_NET_PREFIX):], v) for k, v in state_dict.items())
    head = OrderedDict((HEAD_FC_PREFIX + k[len('_fc.'):], v.float())
                       for k, v in net.items() if k.startswith('_fc.'))
    backbone = convert_lukemelas_backbone(
        OrderedDict((k, v) for k, v in net.items()
                    if not k.startswith('_fc.')),
        stage_depths=stage_depths)
    out = OrderedDict(('backbone.' + k, v) for k, v in backbone.items())
    out.update(head)
    return out
