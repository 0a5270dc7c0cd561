# Copyright (c) laanet contributors. All rights reserved.
"""Multi-head self-attention of the ViT backbones (timm's key names)."""
import torch
import torch.nn.functional as F
from torch import nn


class ViTAttention(nn.Module):
    """Multi-head self-attention: ``qkv`` Linear(C → 3C), softmax(q·kᵀ·s)
    with s = head_dim^−0.5, ``proj`` Linear(C → C).

    The keys (``qkv.*``, ``proj.*``) are those of timm's and MAE's ViTs
    and of the official FakeSTormer ``Attention``. With
    ``fused=True`` (the default) the attention runs through PyTorch's
    :func:`~torch.nn.functional.scaled_dot_product_attention`, which gives
    the explicit softmax's numbers within float32 rounding (checked to
    1e-5 relative on the FakeSTormer fixtures) and never stores the
    (N, heads, L, L) attention matrix; ``fused=False`` computes it
    explicitly, as the official code does.

    Args:
        embed_dims (int): Token width C.
        num_heads (int): Heads; C must be divisible by it.
        qkv_bias (bool): Bias of ``qkv``. Defaults to True.
        attn_drop (float): Dropout on the attention weights. Defaults to 0.
        proj_drop (float): Dropout after ``proj``. Defaults to 0.
        fused (bool): Use the fused kernel. Defaults to True.
    """

    def __init__(self,
                 embed_dims: int,
                 num_heads: int,
                 qkv_bias: bool = True,
                 attn_drop: float = 0.,
                 proj_drop: float = 0.,
                 fused: bool = True) -> None:
        super().__init__()
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims {embed_dims} is not divisible by '
                             f'num_heads {num_heads}.')
        self.num_heads = num_heads
        self.head_dims = embed_dims // num_heads
        self.scale = self.head_dims**-0.5
        self.attn_drop = attn_drop
        self.fused = fused
        self.qkv = nn.Linear(embed_dims, embed_dims * 3, bias=qkv_bias)
        self.proj = nn.Linear(embed_dims, embed_dims)
        self.proj_drop = nn.Dropout(proj_drop)

    def attend(self, x: torch.Tensor) -> torch.Tensor:
        """The attention output before ``proj``, (N, L, C)."""
        n, length, c = x.shape
        qkv = self.qkv(x).reshape(n, length, 3, self.num_heads,
                                  self.head_dims).permute(2, 0, 3, 1, 4)
        q, k, v = qkv.unbind(0)
        drop = self.attn_drop if self.training else 0.
        if self.fused:
            out = F.scaled_dot_product_attention(q, k, v, dropout_p=drop)
        else:
            attn = (q * self.scale) @ k.transpose(-2, -1)
            attn = F.dropout(attn.softmax(dim=-1), drop, self.training)
            out = attn @ v
        return out.transpose(1, 2).reshape(n, length, c)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Attend over the tokens of each sequence.

        Args:
            x (torch.Tensor): Tokens (N, L, C).

        Returns:
            torch.Tensor: (N, L, C).
        """
        return self.proj_drop(self.proj(self.attend(x)))
