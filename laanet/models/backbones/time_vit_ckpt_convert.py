# Copyright (c) laanet contributors. All rights reserved.
"""Image ViT-B/16 weights (MAE, timm) as the init of :class:`TimeViT`.

The official recipe initialises the backbone from MAE's
``mae_pretrain_vit_base.pth`` (``{'model': encoder state dict}``), loaded
non-strictly: every image-ViT key has the same name in TimeViT
(``cls_token``, ``pos_embed``, ``patch_embed.proj.*``,
``blocks.i.{norm1, attn.*, norm2, mlp.*}``, ``norm.*``), the temporal
parts keep their init. timm's ViT-B/16 checkpoints
(``vit_base_patch16_224.mae``, ``.augreg_in21k``, ``.augreg2_in21k_ft_in1k``
...) have the same keys plus a classifier. This module reads such a file
and keeps what TimeViT takes.
"""
from collections import OrderedDict
from typing import Mapping, Tuple

import torch
import torch.nn.functional as F

from ..utils.convert_on_load import strip_module_prefix

#: Prefixes of image-ViT keys TimeViT has no counterpart for: MAE's decoder
#: and mask token, timm's classifier and pooled-feature norm.
DROPPED_PREFIXES = ('decoder', 'mask_token', 'head.', 'fc_norm.',
                    'norm_pre.')


def unwrap_state_dict(checkpoint: Mapping) -> Mapping:
    """The state dict of a checkpoint file: its ``model`` (MAE),
    ``state_dict`` or ``module`` entry, or the dict itself; DataParallel's
    ``module.`` prefix removed."""
    for key in ('model', 'state_dict', 'module'):
        if isinstance(checkpoint.get(key), Mapping):
            checkpoint = checkpoint[key]
            break
    return strip_module_prefix(checkpoint)


def is_image_vit(state_dict: Mapping) -> bool:
    """Whether a state dict is an image ViT (no temporal attention)."""
    return ('blocks.0.attn.qkv.weight' in state_dict
            and 'blocks.0.temporal_attn.qkv.weight' not in state_dict)


def resize_pos_embed(pos_embed: torch.Tensor,
                     grid: Tuple[int, int]) -> torch.Tensor:
    """Bicubically resize a (1, 1 + h·w, C) position embedding (class row
    first) to another square patch grid, as the official loader does."""
    num = pos_embed.shape[1] - 1
    old = int(round(num**0.5))
    if old * old != num:
        raise ValueError(f'pos_embed of {num} patch rows is not a square '
                         'grid.')
    if (old, old) == tuple(grid):
        return pos_embed
    c = pos_embed.shape[-1]
    patch = pos_embed[:, 1:].reshape(1, old, old, c).permute(0, 3, 1, 2)
    patch = F.interpolate(
        patch.float(), size=grid, mode='bicubic', align_corners=False)
    patch = patch.permute(0, 2, 3, 1).reshape(1, grid[0] * grid[1], c)
    return torch.cat([pos_embed[:, :1].float(), patch], 1)


def convert_image_vit(state_dict: Mapping,
                      grid: Tuple[int, int]) -> 'OrderedDict':
    """The TimeViT keys of an image-ViT state dict.

    Args:
        state_dict (Mapping): MAE or timm ViT keys.
        grid (tuple[int, int]): TimeViT's patch grid (14, 14 at 224 px).

    Returns:
        OrderedDict: float32 tensors; ``pos_embed`` resized to ``grid``.
    """
    out = OrderedDict()
    for key, value in state_dict.items():
        if key.startswith(DROPPED_PREFIXES):
            continue
        if key == 'pos_embed':
            value = resize_pos_embed(value, grid)
        out[key] = value.float()
    return out
