# Copyright (c) laanet contributors. All rights reserved.
"""The official FakeSTormer checkpoint layout and its map onto
:class:`FakeSTormer`; the released file names and their configs.

The official ``TopDownDetector`` saves ``{'epoch', 'state_dict',
'optimizer'}`` with 274 entries: ``backbone.*`` (TimeViT, whose names
laanet keeps) and ``keypoint_head.{hm, cls, temp_loc}.*``. The three head
prefixes become laanet's ``heatmap_head.``, ``cls_head.`` (``fc_out`` is
``fc``) and ``temporal_head.``; nothing else changes. The
:class:`FakeSTormer` load-state-dict pre-hook uses it, so ``load_from``,
``init_model``, ``tools/test.py`` and the demos take the released files
as they are, and ``tools/model_converters/convert_checkpoint.py`` writes
a laanet checkpoint from them.
"""
import os.path as osp
import re
from collections import OrderedDict
from typing import Mapping, Optional, Tuple

#: Official head prefix → laanet prefix.
HEAD_PREFIXES = OrderedDict([
    ('keypoint_head.hm.', 'heatmap_head.'),
    ('keypoint_head.cls.fc_out.', 'cls_head.fc.'),
    ('keypoint_head.temp_loc.', 'temporal_head.'),
])
#: The released files name their training set (the official ``TASK``):
#: ``TopDownDetector_C0_ViTBase224_...`` / ``..._C23_ViTBase224_...``.
_RELEASED = re.compile(r'(?:^|[_\-.])(C0|C23)_ViTBase224', re.IGNORECASE)
#: Training set → the config of the released weights.
RELEASED_CONFIGS = {
    'c0': 'configs/fakestormer/fakestormer_c0.py',
    'c23': 'configs/fakestormer/fakestormer_c23.py',
}


def is_official_fakestormer(state_dict: Mapping) -> bool:
    """Whether a state dict has the official ``keypoint_head.*`` keys of
    FakeSTormer (and its TimeViT backbone)."""
    return (any(k.startswith('keypoint_head.temp_loc.') for k in state_dict)
            and 'backbone.temp_token' in state_dict)


def convert_official_state_dict(state_dict: Mapping) -> 'OrderedDict':
    """Official FakeSTormer keys → :class:`FakeSTormer` keys.

    Args:
        state_dict (Mapping): The official state dict (``module.``
            already stripped).

    Returns:
        OrderedDict: The same tensors under laanet's names.

    Raises:
        ValueError: Naming every key outside ``backbone.`` and the three
            official heads.
    """
    out, unknown = OrderedDict(), []
    for key, value in state_dict.items():
        if key.startswith('backbone.'):
            out[key] = value
            continue
        for old, new in HEAD_PREFIXES.items():
            if key.startswith(old):
                out[new + key[len(old):]] = value
                break
        else:
            unknown.append(key)
    if unknown:
        raise ValueError('keys outside backbone.* and keypoint_head.{hm, '
                         'cls.fc_out, temp_loc}.*: ' + ', '.join(unknown))
    return out


def released_variant(path: str) -> Optional[Tuple[str, str]]:
    """The training set and config a released file name points at.

    Args:
        path (str): A checkpoint path.

    Returns:
        tuple[str, str] | None: (``'c0'`` or ``'c23'``, the config), or
        None when the name holds neither ``C0_ViTBase224`` nor
        ``C23_ViTBase224``.
    """
    match = _RELEASED.search(osp.basename(path))
    if match is None:
        return None
    variant = match.group(1).lower()
    return variant, RELEASED_CONFIGS[variant]
