# Copyright (c) laanet contributors. All rights reserved.
"""The EfficientNet architecture tables (B0..B7), a leaf module.

The backbone (:class:`~laanet.models.backbones.EfficientNet`) and the
checkpoint converters (:mod:`.efficientnet_ckpt_convert`,
:mod:`laanet.models.detectors.laanet_ckpt_convert`) read the arch facts
here, so neither imports the other for them.
"""
import math
from typing import List, Optional

from torch import nn

#: arch: (width multiplier, depth multiplier, default resolution)
ARCH_SETTINGS = {
    'b0': (1.0, 1.0, 224),
    'b1': (1.0, 1.1, 240),
    'b2': (1.1, 1.2, 260),
    'b3': (1.2, 1.4, 300),
    'b4': (1.4, 1.8, 380),
    'b5': (1.6, 2.2, 456),
    'b6': (1.8, 2.6, 528),
    'b7': (2.0, 3.1, 600),
}
#: Blocks per stage of B0; the other archs scale them by their depth
#: multiplier and round up, as timm and the lukemelas code do.
BASE_REPEATS = (1, 2, 2, 3, 3, 4, 1)
#: Channels of the head conv (the 1792 of B4), to name an arch in errors.
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
    if arch not in ARCH_SETTINGS:
        raise ValueError(f'Unknown EfficientNet arch {arch!r}.')
    mult = ARCH_SETTINGS[arch][1]
    return [int(math.ceil(mult * r)) for r in BASE_REPEATS]


def arch_of_head_channels(channels: int) -> str:
    """Name the arch(s) whose head conv has ``channels`` outputs."""
    names = [a for a, c in HEAD_CHANNELS.items() if c == channels]
    return '/'.join(names) if names else f'unknown ({channels} channels)'


def stage_depths_of_module(backbone: nn.Module) -> Optional[List[int]]:
    """Blocks per stage of a built EfficientNet-like backbone.

    Args:
        backbone (nn.Module): A backbone; EfficientNet has ``blocks``.

    Returns:
        list[int] | None: The depths, or None for a backbone without
        ``blocks`` (the converters then infer them from the file).
    """
    blocks = getattr(backbone, 'blocks', None)
    return None if blocks is None else [len(s) for s in blocks]
