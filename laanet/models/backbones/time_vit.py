# Copyright (c) laanet contributors. All rights reserved.
"""TimeViT: FakeSTormer's divided space-time ViT with a temporal token."""
import os.path as osp
from typing import Dict, List, Optional, Tuple, Union

import torch
from mmengine.logging import print_log
from mmengine.model import BaseModule
from timm.layers import PatchEmbed
from torch import nn

from laanet.registry import MODELS
from .divided_space_time_block import DividedSpaceTimeBlock
from .time_vit_ckpt_convert import (convert_image_vit, is_image_vit,
                                    unwrap_state_dict)

#: Where the temporal token of each clip comes from (``temporal_token``).
TEMPORAL_TOKENS = ('batch0', 'own', 'learned')
#: How the patch tokens become the (N, C, T, h, w) map (``feature_layout``).
FEATURE_LAYOUTS = ('official', 'natural')


@MODELS.register_module()
class TimeViT(BaseModule):
    """The divided space-time ViT of FakeSTormer (ICCV 2025), with the
    official key names, so the released state dicts load as they are.

    A clip (N, 3, T, H, W) is cut into 16-px patches per frame; every frame
    gets the class token and ``pos_embed``; every patch position gets
    ``time_embed``; a temporal token is appended. The sequence
    ``[cls, N·T patch tokens (frame fastest), temporal token]`` passes
    through ``num_layers`` :class:`DividedSpaceTimeBlock` and ``norm``.

    Outputs (a dict, read by FakeSTormer's heads):

    - ``token`` (N, C): the final temporal-token slot (the clip logit's
      input);
    - ``frame_tokens`` (N, T, C): ``norm_s_cls`` of the last block's
      per-frame class rows of the spatial attention;
    - ``patch_map`` (N, C, T, h, w): the patch tokens as a map.

    Two quirks of the official network are reproduced by default (the
    released weights were trained with them; spec §8 items 1-2), each
    with an option that turns it off:

    - ``temporal_token='batch0'``: the temporal token of sample b is the
      frame-0 token of patch b **of sample 0 of the batch** (its position
      and time embeddings included), so every output of a sample depends
      on the first sample of its batch once the temporal path has learnt
      (at batch size 1 a clip uses its own patch 0). ``'own'``: each clip
      uses its own patch-0 / frame-0 token, the official value at batch
      size 1, independent of the batch. ``'learned'``: the learned
      ``temp_token`` + ``time_embed[T]`` (the intended design; a
      different model, for training from scratch). In the two official
      modes ``temp_token`` and ``time_embed[T]`` take no part in the
      output but get zero gradients, as in the official code (Adam's
      weight decay moves them); ``norm_t_cls`` is never used.
    - ``feature_layout='official'``: the (n, t)-ordered patch tokens are
      reshaped to (C, T, h, w) as they lie in memory, so "frame" t' of
      the map holds a horizontal band of every frame. ``'natural'``:
      the real (T, h, w) grid.

    Initialisation (:meth:`init_weights`, the official one): with
    ``init_cfg=dict(type='Pretrained', checkpoint=PATH)`` the image-ViT
    weights of a local MAE or timm ViT-B/16 file are loaded (the
    temporal parts keep PyTorch's defaults; the missing keys are logged);
    without it, truncated-normal(0.02) Linear weights, ``pos_embed`` and a
    N(0, 1e-6) class token. Then, either way, every ``temporal_fc`` is
    set to 0 (the network starts as a per-frame image ViT) and
    ``temp_token`` ~ N(0, 1e-6).

    Args:
        img_size (int): Input side. Defaults to 224.
        patch_size (int): Patch side. Defaults to 16.
        in_channels (int): Input channels. Defaults to 3.
        embed_dims (int): Token width. Defaults to 768.
        num_layers (int): Blocks. Defaults to 12.
        num_heads (int): Attention heads. Defaults to 12.
        mlp_ratio (float): MLP width ratio. Defaults to 4.
        qkv_bias (bool): Bias of the ``qkv`` layers. Defaults to True.
        num_frames (int): Clip length T. Defaults to 4.
        drop_rate (float): Dropout (official 0). Defaults to 0.
        attn_drop_rate (float): Attention dropout. Defaults to 0.
        drop_path_rate (float): Stochastic depth of the last block, linear
            from 0 in the first (official 0.3). Defaults to 0.3.
        norm_eps (float): LayerNorm epsilon. Defaults to 1e-6.
        temporal_token (str): ``'batch0'`` (official), ``'own'`` or
            ``'learned'``. Defaults to ``'batch0'``.
        feature_layout (str): ``'official'`` or ``'natural'``. Defaults to
            ``'official'``.
        fused_attention (bool): PyTorch's fused attention. Defaults to
            True.
        init_cfg (dict, optional): ``dict(type='Pretrained',
            checkpoint=PATH)`` for MAE / timm weights. Defaults to None.
    """

    def __init__(self,
                 img_size: int = 224,
                 patch_size: int = 16,
                 in_channels: int = 3,
                 embed_dims: int = 768,
                 num_layers: int = 12,
                 num_heads: int = 12,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 num_frames: int = 4,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.3,
                 norm_eps: float = 1e-6,
                 temporal_token: str = 'batch0',
                 feature_layout: str = 'official',
                 fused_attention: bool = True,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if temporal_token not in TEMPORAL_TOKENS:
            raise ValueError(f'temporal_token must be one of '
                             f'{TEMPORAL_TOKENS}, got {temporal_token!r}.')
        if feature_layout not in FEATURE_LAYOUTS:
            raise ValueError(f'feature_layout must be one of '
                             f'{FEATURE_LAYOUTS}, got {feature_layout!r}.')
        if img_size % patch_size:
            raise ValueError(f'img_size {img_size} is not a multiple of '
                             f'patch_size {patch_size}.')
        self.img_size = img_size
        self.patch_size = patch_size
        self.grid = (img_size // patch_size, img_size // patch_size)
        self.embed_dims = embed_dims
        self.num_frames = num_frames
        self.temporal_token = temporal_token
        self.feature_layout = feature_layout
        num_patches = self.grid[0] * self.grid[1]
        # the official state-dict order: the four tokens/embeddings, then
        # patch_embed, blocks, norm, norm_s_cls, norm_t_cls
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.pos_embed = nn.Parameter(
            torch.zeros(1, num_patches + 1, embed_dims))
        self.temp_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.time_embed = nn.Parameter(
            torch.zeros(1, num_frames + 1, embed_dims))
        # Conv2d(k = s = patch) per frame, (N, h·w, D) (key ``proj``)
        self.patch_embed = PatchEmbed(
            img_size=img_size,
            patch_size=patch_size,
            in_chans=in_channels,
            embed_dim=embed_dims)
        self.time_drop = nn.Dropout(drop_rate)
        rates = torch.linspace(
            0, drop_path_rate, num_layers, device='cpu').tolist()
        self.blocks = nn.ModuleList([
            DividedSpaceTimeBlock(
                embed_dims=embed_dims,
                num_heads=num_heads,
                mlp_ratio=mlp_ratio,
                qkv_bias=qkv_bias,
                drop_rate=drop_rate,
                attn_drop_rate=attn_drop_rate,
                drop_path_rate=rate,
                norm_eps=norm_eps,
                fused_attention=fused_attention) for rate in rates
        ])
        self.norm = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.norm_s_cls = nn.LayerNorm(embed_dims, eps=norm_eps)
        # kept for the official key set; the official forward never uses it
        self.norm_t_cls = nn.LayerNorm(embed_dims, eps=norm_eps)

    # ------------------------------------------------------------------
    # initialisation
    # ------------------------------------------------------------------
    def init_weights(self) -> None:
        """The official initialisation (see the class docstring)."""
        cfg = self.init_cfg
        if isinstance(cfg, (list, tuple)):
            cfg = cfg[0] if len(cfg) == 1 else None
        if isinstance(cfg, dict) and cfg.get('type') == 'Pretrained':
            self.load_image_vit(cfg['checkpoint'])
        elif cfg is not None:
            super().init_weights()
        else:
            nn.init.trunc_normal_(self.pos_embed, std=.02)
            for m in self.modules():
                if isinstance(m, nn.Linear):
                    nn.init.trunc_normal_(m.weight, std=.02)
                    if m.bias is not None:
                        nn.init.zeros_(m.bias)
                elif isinstance(m, nn.LayerNorm):
                    nn.init.ones_(m.weight)
                    nn.init.zeros_(m.bias)
            nn.init.normal_(self.cls_token, std=1e-6)
        for block in self.blocks:
            nn.init.zeros_(block.temporal_fc.weight)
            nn.init.zeros_(block.temporal_fc.bias)
        nn.init.normal_(self.temp_token, std=1e-6)
        self._is_init = True

    def load_image_vit(self, path: str) -> None:
        """Load the image-ViT weights of a local MAE / timm file.

        Args:
            path (str): ``mae_pretrain_vit_base.pth`` (``{'model': ...}``)
                or a timm ViT-B/16 state dict (``.pth`` / ``.bin`` /
                ``.safetensors``).

        Raises:
            FileNotFoundError: If the file does not exist.
            ValueError: If it is no image ViT, or its shapes do not fit.
        """
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{path}: no such file (TimeViT init_cfg checkpoint; '
                'nothing is downloaded, see docs/en/advanced_guides/'
                'fakestormer.md)')
        if path.endswith('.safetensors'):
            from safetensors.torch import load_file
            state = load_file(path)
        else:
            state = torch.load(path, map_location='cpu', weights_only=True)
        state = unwrap_state_dict(state)
        if not is_image_vit(state):
            raise ValueError(f'{path}: not an image ViT state dict (no '
                             'blocks.0.attn.qkv.weight, or it already has '
                             'temporal attention).')
        state = convert_image_vit(state, self.grid)
        own = self.state_dict()
        wrong = [
            f'{k}: file {tuple(v.shape)}, model {tuple(own[k].shape)}'
            for k, v in state.items() if k in own and v.shape != own[k].shape
        ]
        if wrong:
            raise ValueError(f'{path}: shapes do not fit this TimeViT:\n' +
                             '\n'.join(wrong))
        unexpected = sorted(set(state) - set(own))
        if unexpected:
            raise ValueError(f'{path}: keys TimeViT has no place for: '
                             f'{", ".join(unexpected[:10])}')
        missing = [k for k in own if k not in state]
        self.load_state_dict(state, strict=False)
        print_log(
            f'TimeViT: loaded {len(state)} image-ViT tensors from {path}; '
            f'{len(missing)} keep their init (temporal attention, '
            'temporal_fc, time_embed, temp_token, norm_s_cls, norm_t_cls).',
            logger='current')

    # ------------------------------------------------------------------
    # forward
    # ------------------------------------------------------------------
    def _tokens(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Embed a clip (B, C, T, H, W) to the block inputs: class token
        (B, 1, D), patch tokens (B, N·T, D) and temporal token (B, 1, D)."""
        b, _, t, h, w = x.shape
        if t != self.num_frames:
            raise ValueError(f'TimeViT was built for {self.num_frames} '
                             f'frames, got a clip of {t}.')
        if (h, w) != (self.img_size, self.img_size):
            raise ValueError(f'TimeViT was built for {self.img_size} px '
                             f'inputs, got {h}x{w}.')
        frames = x.transpose(1, 2).reshape(b * t, x.shape[1], h, w)
        patches = self.patch_embed(frames) + self.pos_embed[:, 1:]
        n, d = patches.shape[1:]
        cls = (self.cls_token + self.pos_embed[:, :1]).expand(b, 1, d)
        # (B T, N, D) -> (B, N, T, D): every position's frames, then time
        patches = patches.reshape(b, t, n, d).transpose(1, 2)
        patches = self.time_drop(patches + self.time_embed[:, :t].unsqueeze(1))
        if self.temporal_token == 'learned':
            tmp = self.time_drop(self.temp_token + self.time_embed[:, t:t + 1])
            tmp = tmp.expand(b, 1, d)
        else:
            if self.temporal_token == 'batch0':
                # rows 0..B-1 of the (b n) layout: sample 0's patches
                tmp = patches.reshape(b * n, t, d)[:b, 0]
            else:
                tmp = patches[:, 0, 0]
            # temp_token and time_embed[T] get zero gradients, as in the
            # official graph (where they are concatenated, then dropped)
            tmp = torch.cat([tmp, self.temp_token[0]])[:b].unsqueeze(1)
        return cls, patches.reshape(b, n * t, d), tmp

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Run the backbone.

        Args:
            x (torch.Tensor): Normalised clips (N, C, T, H, W).

        Returns:
            dict[str, torch.Tensor]: ``token`` (N, D), ``frame_tokens``
            (N, T, D), ``patch_map`` (N, D, T, h, w).
        """
        if x.dim() != 5:
            raise ValueError('TimeViT takes clips (N, C, T, H, W), got shape '
                             f'{tuple(x.shape)}.')
        b, t = x.shape[0], x.shape[2]
        cls, patches, tmp = self._tokens(x)
        cls_frames = None
        for block in self.blocks:
            cls, patches, tmp, cls_frames = block(cls, patches, tmp, t)
        # the final norm of the official sequence, but for the class token
        # (which no output reads)
        patches = self.norm(patches)
        d = patches.shape[-1]
        gh, gw = self.grid
        if self.feature_layout == 'official':
            patch_map = patches.transpose(1, 2).reshape(b, d, t, gh, gw)
        else:
            patch_map = patches.reshape(b, gh * gw, t, d).permute(
                0, 3, 2, 1).reshape(b, d, t, gh, gw)
        return dict(
            token=self.norm(tmp[:, 0]),
            frame_tokens=self.norm_s_cls(cls_frames),
            patch_map=patch_map)
