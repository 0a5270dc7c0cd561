# Copyright (c) laanet contributors. All rights reserved.
"""TimeViT: layout, the batch-0 temporal token, the official patch-map
layout, initialisation, gradient facts and MAE / timm weight loading."""
import os.path as osp

import numpy as np
import pytest
import torch

from laanet.models.backbones import TimeViT
from laanet.models.backbones.time_vit_ckpt_convert import resize_pos_embed
from laanet.testing.synthetic_weights import (parse_key_lines,
                                              synthetic_state_dict)

DATA = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'data',
    'fakestormer')
TINY = dict(
    img_size=64, embed_dims=64, num_layers=2, num_heads=4, num_frames=4,
    drop_path_rate=0.1)


def tiny(**kwargs) -> TimeViT:
    """The tiny TimeViT with the official reduced-model synthetic weights
    (non-zero temporal_fc, so the temporal path matters)."""
    model = TimeViT(**dict(TINY, **kwargs))
    ref = np.load(osp.join(DATA, 'official_tiny_model.npz'))
    keys = [(k[len('backbone.'):], s)
            for k, s in parse_key_lines(ref['keys'].tolist())
            if k.startswith('backbone.')]
    # the synthetic recipe seeds with the official (prefixed) key
    state = synthetic_state_dict(('backbone.' + k, s) for k, s in keys)
    model.load_state_dict(
        {k[len('backbone.'):]: v
         for k, v in state.items()}, strict=True)
    return model.eval()


def clip(n: int, seed: int) -> torch.Tensor:
    return torch.from_numpy(
        np.random.RandomState(seed).standard_normal(
            (n, 3, 4, 64, 64)).astype(np.float32))


def test_outputs_and_key_order():
    model = tiny()
    with torch.no_grad():
        out = model(clip(2, 0))
    assert out['token'].shape == (2, 64)
    assert out['frame_tokens'].shape == (2, 4, 64)
    assert out['patch_map'].shape == (2, 64, 4, 4, 4)
    keys = list(model.state_dict())
    assert keys[:6] == [
        'cls_token', 'pos_embed', 'temp_token', 'time_embed',
        'patch_embed.proj.weight', 'patch_embed.proj.bias'
    ]
    assert [k for k in keys if k.startswith('blocks.0.')][::2] == [
        f'blocks.0.{m}.weight' for m in
        ('norm1', 'attn.qkv', 'attn.proj', 'temporal_norm1',
         'temporal_attn.qkv', 'temporal_attn.proj', 'temporal_fc', 'norm2',
         'mlp.fc1', 'mlp.fc2')
    ]
    assert keys[-6:] == [
        f'{n}.{p}' for n in ('norm', 'norm_s_cls', 'norm_t_cls')
        for p in ('weight', 'bias')
    ]


def test_batch0_temporal_token_couples_the_samples():
    """Official: every output of sample 2 changes when only sample 0 does;
    sample 0 never depends on the others; 'own' is the batch-1 result."""
    x = clip(3, 1)
    x2 = x.clone()
    x2[0] = clip(1, 2)[0]
    model = tiny()
    with torch.no_grad():
        a, b = model(x), model(x2)
        own = tiny(temporal_token='own')
        singles = [own(x[i:i + 1]) for i in range(3)]
        batch_own = own(x)
        first_alone = model(x[:1])
    for key in a:
        assert not torch.allclose(a[key][2], b[key][2]), key
        torch.testing.assert_close(a[key][0], first_alone[key][0])
        for i in range(3):
            torch.testing.assert_close(
                batch_own[key][i], singles[i][key][0], rtol=1e-5,
                atol=1e-6)
    # at batch size 1 the official token is the clip's own
    torch.testing.assert_close(singles[0]['token'], first_alone['token'])


def test_learned_temporal_token_uses_temp_token():
    model = tiny(temporal_token='learned')
    x = clip(2, 0)
    with torch.no_grad():
        a = model(x)['token']
        model.temp_token.add_(1.)
        b = model(x)['token']
    assert not torch.allclose(a, b)


def test_patch_map_layouts():
    """'official' is the (n, t)-ordered token memory reshaped; 'natural'
    is the (t, h, w) grid; both hold the same tokens."""
    x = clip(1, 0)
    with torch.no_grad():
        off = tiny()(x)['patch_map'][0]
        nat = tiny(feature_layout='natural')(x)['patch_map'][0]
    c, t, h, w = off.shape
    for tp in range(t):
        for i in range(h):
            for j in range(w):
                flat = tp * h * w + i * w + j
                n, frame = flat // t, flat % t
                torch.testing.assert_close(off[:, tp, i, j],
                                           nat[:, frame, n // w, n % w])
    assert not torch.allclose(off, nat)


def test_fused_attention_gives_the_same_numbers():
    x = clip(2, 0)
    with torch.no_grad():
        a = tiny()(x)
        b = tiny(fused_attention=False)(x)
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=1e-5, atol=1e-5)


def test_official_random_init():
    torch.manual_seed(0)
    model = TimeViT(**TINY)
    model.init_weights()
    for block in model.blocks:
        assert not block.temporal_fc.weight.any()
        assert not block.temporal_fc.bias.any()
        assert not block.attn.qkv.bias.any()
        assert block.attn.qkv.weight.std().item() == pytest.approx(
            0.02, rel=0.1)
    assert model.temp_token.abs().max() < 1e-5
    assert model.cls_token.abs().max() < 1e-5
    assert not model.time_embed.any()
    assert model.pos_embed.std().item() == pytest.approx(0.02, rel=0.2)


def test_gradient_facts():
    """§9.2 item 1: norm_t_cls gets no gradient, temp_token and
    time_embed[T] zero tensors; with temporal_fc = 0 the temporal
    attention and its norm get exactly zero gradients."""
    torch.manual_seed(0)
    model = TimeViT(**TINY)
    model.init_weights()
    out = model(clip(2, 0))
    sum(v.sum() for v in out.values()).backward()
    assert model.norm_t_cls.weight.grad is None
    assert model.temp_token.grad is not None
    assert not model.temp_token.grad.any()
    assert not model.time_embed.grad[:, 4].any()
    assert model.time_embed.grad[:, :4].any()
    for block in model.blocks:
        for module in (block.temporal_norm1, block.temporal_attn):
            for p in module.parameters():
                assert p.grad is not None and not p.grad.any()
        assert block.temporal_fc.weight.grad.any()


def test_drop_path_rates_and_training_forward():
    model = TimeViT(**TINY).train()
    assert isinstance(model.blocks[0].drop_path, torch.nn.Identity)
    assert model.blocks[-1].drop_path.drop_prob == pytest.approx(0.1)
    out = model(clip(2, 0))
    assert torch.isfinite(out['token']).all()


def test_load_mae_and_timm_weights(tmp_path):
    """An MAE file ({'model': ...}, decoder keys) and a timm state dict
    (classifier keys, another grid) load into the image-ViT parts; the
    temporal parts keep their init, temporal_fc is 0."""
    src = TimeViT(**TINY)
    image_keys = {
        k: v.clone() + 0.5
        for k, v in src.state_dict().items()
        if 'temporal' not in k and k not in ('temp_token', 'time_embed')
        and not k.startswith(('norm_s_cls', 'norm_t_cls'))
    }
    mae = dict(image_keys, **{
        'mask_token': torch.zeros(1, 1, 64),
        'decoder_embed.weight': torch.zeros(8, 64)
    })
    torch.save({'model': mae}, tmp_path / 'mae.pth')
    model = TimeViT(
        **TINY,
        init_cfg=dict(type='Pretrained', checkpoint=str(tmp_path / 'mae.pth')))
    model.init_weights()
    state = model.state_dict()
    for key, value in image_keys.items():
        torch.testing.assert_close(state[key], value)
    assert not model.blocks[1].temporal_fc.weight.any()

    # timm: a classifier and a 7x7 grid (112 px) resized to 4x4
    timm_sd = dict(image_keys, **{
        'head.weight': torch.zeros(10, 64),
        'head.bias': torch.zeros(10),
        'pos_embed': torch.randn(1, 50, 64)
    })
    torch.save(timm_sd, tmp_path / 'timm.pth')
    model = TimeViT(
        **TINY,
        init_cfg=dict(
            type='Pretrained', checkpoint=str(tmp_path / 'timm.pth')))
    model.init_weights()
    torch.testing.assert_close(
        model.pos_embed.data, resize_pos_embed(timm_sd['pos_embed'], (4, 4)))


def test_load_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='nothing is downloaded'):
        TimeViT(**TINY, init_cfg=dict(
            type='Pretrained', checkpoint=str(tmp_path / 'x.pth'))
                ).init_weights()
    torch.save({'model': {'foo': torch.zeros(1)}}, tmp_path / 'bad.pth')
    with pytest.raises(ValueError, match='not an image ViT'):
        TimeViT(**TINY).load_image_vit(str(tmp_path / 'bad.pth'))
    wide = TimeViT(**dict(TINY, embed_dims=32)).state_dict()
    wide = {k: v for k, v in wide.items() if 'temporal' not in k}
    torch.save(wide, tmp_path / 'wide.pth')
    with pytest.raises(ValueError, match='shapes do not fit'):
        TimeViT(**TINY).load_image_vit(str(tmp_path / 'wide.pth'))


def test_bad_arguments_and_inputs():
    with pytest.raises(ValueError, match='temporal_token'):
        TimeViT(**TINY, temporal_token='first')
    with pytest.raises(ValueError, match='feature_layout'):
        TimeViT(**TINY, feature_layout='thw')
    model = TimeViT(**TINY)
    with pytest.raises(ValueError, match='4 frames'):
        model(torch.zeros(1, 3, 2, 64, 64))
    with pytest.raises(ValueError, match='64 px'):
        model(torch.zeros(1, 3, 4, 96, 96))
    with pytest.raises(ValueError, match='clips'):
        model(torch.zeros(1, 3, 64, 64))
