# Copyright (c) laanet contributors. All rights reserved.
import math

import pytest
import torch

from laanet.models.necks import EFPN
from laanet.models.necks.efpn import gated_fusion


def _b4_feats(n=1, s=2):
    # strides 8, 16, 32, 32 of a (32·s)-px input
    return (torch.randn(n, 56, 4 * s,
                        4 * s), torch.randn(n, 160, 2 * s, 2 * s),
            torch.randn(n, 448, s, s), torch.randn(n, 1792, s, s))


def test_b4_output_shape_and_channels():
    neck = EFPN().eval()
    (out, ) = neck(_b4_feats(2, 3))
    assert out.shape == (2, 112, 24, 24)
    assert neck.out_channels == 112
    assert (out >= 0).all()  # final ReLU


def test_gated_fusion_by_hand():
    d = torch.tensor([[[[0.0]], [[2.0]]]])
    c = torch.tensor([[[[4.0]], [[1.0]]]])
    out = gated_fusion(d, c)
    expected = [0.0, 2.0, 4 * 0.5, 1 * (1 - 1 / (1 + math.exp(-2)))]
    assert out.flatten().tolist() == pytest.approx(expected)
    with pytest.raises(ValueError):
        gated_fusion(d, c[:, :1])


def test_inception_shares_one_pointwise_block_by_default():
    inception = EFPN().up_blocks[2].block
    assert sum(p.numel() for p in inception.parameters()) == 29960
    separate = EFPN(shared_inception_pw=False).up_blocks[2].block
    assert sum(
        p.numel()
        for p in separate.parameters()) == 29960 + 3 * (112 * 28 + 2 * 28)
    x = torch.randn(1, 112, 6, 6)
    inception.eval()
    out = inception(x)
    # branch 1 is the input of the 3x3 branch: conv3(out[:, :28])
    torch.testing.assert_close(out[:, 28:56], inception.conv3(out[:, :28]))


def test_dropout_only_in_training():
    neck = EFPN()
    feats = _b4_feats()
    neck.eval()
    torch.testing.assert_close(neck(feats)[0], neck(feats)[0])
    neck.train()
    torch.manual_seed(0)
    a = neck(feats)[0]
    torch.manual_seed(1)
    b = neck(feats)[0]
    assert not torch.allclose(a, b)
    assert neck.dropout.p == 0.4


def test_init_of_transposed_convs_and_bns():
    torch.manual_seed(0)
    neck = EFPN()
    w = neck.up_blocks[0].deconv.weight  # 160 x 160 x 4 x 4
    assert w.mean().abs() < 0.002
    assert w.std().item() == pytest.approx(math.sqrt(2 / (16 * 160)), rel=0.02)
    for bn in (neck.top_block.bn, neck.up_blocks[1].bn):
        assert (bn.weight == 1).all() and (bn.bias == 0).all()


def test_use_c2_se_layer_and_other_channels():
    neck = EFPN(
        in_channels=[24, 40, 112, 320, 1280], use_c2=True,
        se_layer=True).eval()
    feats = (torch.randn(1, 24, 8, 8), torch.randn(1, 40, 4, 4),
             torch.randn(1, 112, 2,
                         2), torch.randn(1, 320, 1,
                                         1), torch.randn(1, 1280, 1, 1))
    (out, ) = neck(feats)
    assert out.shape == (1, 160, 8, 8) and neck.out_channels == 160
    assert len(neck.se_layers) == 4


def test_bad_inputs():
    with pytest.raises(ValueError):
        EFPN(in_channels=[56, 160, 448])
    neck = EFPN()
    with pytest.raises(TypeError):
        neck(torch.zeros(1, 56, 4, 4))
    with pytest.raises(AssertionError):
        neck(_b4_feats()[:3])
