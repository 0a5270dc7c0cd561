# Copyright (c) laanet contributors. All rights reserved.
"""The divided space-time block of FakeSTormer's TimeViT."""
from typing import Tuple

import torch
from timm.layers import DropPath, Mlp
from torch import nn

from ..utils.vit_attention import ViTAttention


class DividedSpaceTimeBlock(nn.Module):
    """A TimeSformer block with FakeSTormer's temporal token.

    The tokens of a clip are ``[cls, N·T patch tokens in (n, t) order
    (frame fastest), temporal token]``. One block (spec §2.3):

    1. **temporal**: for every patch position, its T frame tokens and a
       copy of the temporal token attend to each other
       (``temporal_norm1``, ``temporal_attn``, drop path, then
       ``temporal_fc``); the patches add their rows, the temporal token
       the mean over positions of its row;
    2. **spatial**: per frame, the class token and the N (updated) patch
       tokens attend to each other (``norm1``, ``attn``, drop path); the
       patches add their rows, the class token the mean over frames of its
       rows (the per-frame class rows are also returned);
    3. ``x + drop_path(mlp(norm2(x)))`` over all tokens.

    The three kinds of tokens are kept as separate tensors between blocks
    (no concatenated sequence to re-slice: the official one is
    ``[cls, patches, temporal token]``).

    Drop path drops rows as the official code does: per (clip, position)
    in the temporal branch, per (clip, frame) in the spatial branch and
    per clip in the MLP. The temporal token's rows are linear after the
    attention, so their mean over the positions is taken before
    ``temporal_fc`` (and, without drop path, before ``proj``), and its
    norm and ``qkv`` rows are computed once per clip, not once per
    position: the same numbers within float rounding for a fifth fewer
    rows.

    Args:
        embed_dims (int): Token width.
        num_heads (int): Attention heads.
        mlp_ratio (float): MLP hidden width / ``embed_dims``.
        qkv_bias (bool): Bias of the ``qkv`` layers.
        drop_rate (float): Dropout after the projections and in the MLP.
        attn_drop_rate (float): Dropout on the attention weights.
        drop_path_rate (float): Stochastic depth of this block.
        norm_eps (float): LayerNorm epsilon (official 1e-6).
        fused_attention (bool): Use PyTorch's fused attention.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 mlp_ratio: float = 4.,
                 qkv_bias: bool = True,
                 drop_rate: float = 0.,
                 attn_drop_rate: float = 0.,
                 drop_path_rate: float = 0.,
                 norm_eps: float = 1e-6,
                 fused_attention: bool = True) -> None:
        super().__init__()
        attn_args = dict(
            embed_dims=embed_dims,
            num_heads=num_heads,
            qkv_bias=qkv_bias,
            attn_drop=attn_drop_rate,
            proj_drop=drop_rate,
            fused=fused_attention)
        # the official state-dict order: norm1, attn, temporal_norm1,
        # temporal_attn, temporal_fc, norm2, mlp
        self.norm1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.attn = ViTAttention(**attn_args)
        self.temporal_norm1 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.temporal_attn = ViTAttention(**attn_args)
        self.temporal_fc = nn.Linear(embed_dims, embed_dims)
        self.drop_path_rate = drop_path_rate
        self.drop_path = (
            DropPath(drop_path_rate) if drop_path_rate > 0 else nn.Identity())
        self.norm2 = nn.LayerNorm(embed_dims, eps=norm_eps)
        self.mlp = Mlp(
            in_features=embed_dims,
            hidden_features=int(embed_dims * mlp_ratio),
            act_layer=nn.GELU,
            drop=drop_rate)

    def _temporal(self, patches: torch.Tensor, tmp: torch.Tensor,
                  t: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """Temporal branch: residuals of the patches (B, N·T, C) and of
        the temporal token (B, 1, C)."""
        b, nt, c = patches.shape
        n = nt // t
        attn = self.temporal_attn
        # every position's sequence holds the same temporal token: its norm
        # and qkv rows are computed once per clip
        qkv_p = attn.qkv(self.temporal_norm1(patches)).reshape(b * n, t, -1)
        qkv_t = attn.qkv(self.temporal_norm1(tmp))
        qkv_t = qkv_t.expand(b, n, qkv_t.shape[-1]).reshape(b * n, 1, -1)
        out = attn.attend_qkv(torch.cat([qkv_p, qkv_t], 1))
        if self.training and self.drop_path_rate > 0:
            # drop path masks whole (clip, position) rows
            out = self.drop_path(attn.proj_drop(attn.proj(out)))
            rows, tmp_mean = out[:, :t], out[:, t].reshape(b, n, c).mean(1)
        else:
            rows = attn.proj_drop(attn.proj(out[:, :t]))
            tmp_mean = attn.proj_drop(
                attn.proj(out[:, t].reshape(b, n, c).mean(1)))
        res_p = self.temporal_fc(rows).reshape(b, nt, c)
        res_t = self.temporal_fc(tmp_mean).unsqueeze(1)
        return res_p, res_t

    def _spatial(self, cls: torch.Tensor, patches: torch.Tensor,
                 t: int) -> Tuple[torch.Tensor, torch.Tensor]:
        """Spatial branch: the per-frame class rows (B, T, C) and the
        patch residuals (B, N·T, C) in (n, t) order."""
        b, nt, c = patches.shape
        n = nt // t
        frames = patches.reshape(b, n, t, c).transpose(1, 2).reshape(
            b * t, n, c)
        seq = torch.cat([cls.expand(b, t, c).reshape(b * t, 1, c), frames],
                        1)
        out = self.drop_path(self.attn(self.norm1(seq)))
        cls_frames = out[:, 0].reshape(b, t, c)
        res_p = out[:, 1:].reshape(b, t, n, c).transpose(1, 2).reshape(
            b, nt, c)
        return cls_frames, res_p

    def _drop_clip(self, *branches: torch.Tensor) -> Tuple[torch.Tensor]:
        """Drop path per clip with one mask for all of a clip's tokens."""
        p = self.drop_path_rate
        if not self.training or not p:
            return branches
        keep = branches[0].new_empty(branches[0].shape[0], 1, 1).bernoulli_(
            1 - p).div_(1 - p)
        return tuple(x * keep for x in branches)

    def forward(self, cls: torch.Tensor, patches: torch.Tensor,
                tmp: torch.Tensor, num_frames: int
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor,
                           torch.Tensor]:
        """Run the block on a clip's tokens, kept as three tensors (the
        official sequence is ``[cls, patches, tmp]``).

        Args:
            cls (torch.Tensor): Class token (B, 1, C).
            patches (torch.Tensor): Patch tokens (B, N·T, C), frame fastest.
            tmp (torch.Tensor): Temporal token (B, 1, C).
            num_frames (int): T.

        Returns:
            tuple[torch.Tensor]: The new ``cls``, ``patches``, ``tmp`` and
            the per-frame class rows of the spatial attention (B, T, C).
        """
        res_p, res_t = self._temporal(patches, tmp, num_frames)
        patches = patches + res_p
        cls_frames, res_s = self._spatial(cls, patches, num_frames)
        cls = cls + cls_frames.mean(1, keepdim=True)
        patches = patches + res_s
        tmp = tmp + res_t
        # the MLP (per token) on the patches and on the two extra tokens
        ends = torch.cat([cls, tmp], 1)
        mlp_p, mlp_e = self._drop_clip(
            self.mlp(self.norm2(patches)), self.mlp(self.norm2(ends)))
        patches = patches + mlp_p
        ends = ends + mlp_e
        return ends[:, :1], patches, ends[:, 1:], cls_frames
