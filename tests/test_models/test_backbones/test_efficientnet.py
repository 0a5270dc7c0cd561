# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch
from torch import nn

from laanet.models.backbones import EfficientNet, StaticSamePadConv2d
from laanet.testing import capture_log

efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')


def _randomise_bn(model: nn.Module) -> None:
    """Non-trivial BN statistics and affine parameters."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)


@pytest.fixture(scope='module')
def lukemelas_b4():
    torch.manual_seed(0)
    ref = efficientnet_pytorch.EfficientNet.from_name('efficientnet-b4')
    _randomise_bn(ref)
    return ref.eval()


def test_b4_shapes_at_384():
    model = EfficientNet(arch='b4', out_indices=(0, 1, 2, 3, 4, 5)).eval()
    with torch.no_grad():
        outs = model(torch.randn(1, 3, 384, 384))
    assert [tuple(o.shape[1:]) for o in outs] == [(24, 192, 192), (32, 96, 96),
                                                  (56, 48, 48), (160, 24, 24),
                                                  (448, 12, 12),
                                                  (1792, 12, 12)]
    assert model.out_channels == (24, 32, 56, 160, 448, 1792)
    # official settings reach timm's layers
    assert model.bn1.momentum == 0.01 and model.bn1.eps == 1e-3
    assert model.blocks[6][1].drop_path.drop_prob == pytest.approx(0.2 * 31 /
                                                                   32)


def test_small_arch_out_indices():
    model = EfficientNet(arch='b0', out_indices=(1, 3)).eval()
    with torch.no_grad():
        outs = model(torch.randn(2, 3, 64, 64))
    assert [tuple(o.shape) for o in outs] == [(2, 24, 16, 16), (2, 112, 4, 4)]


@pytest.mark.parametrize('kwargs', [
    dict(arch='b9'),
    dict(out_indices=(6, )),
    dict(out_indices=(3, 2)),
    dict(frozen_stages=9),
    dict(drop_path_rate=1.0),
    dict(static_padding_size=0),
])
def test_invalid_arguments(kwargs):
    kwargs.setdefault('arch', 'b0')
    with pytest.raises(ValueError):
        EfficientNet(**kwargs)


@pytest.mark.slow  # full B4 vs efficientnet_pytorch
def test_static_padding_matches_official_backbone(lukemelas_b4):
    model = EfficientNet(
        arch='b4', out_indices=(0, 1, 2, 3, 4, 5),
        static_padding_size=380).eval()
    # the lukemelas keys are converted by the load_state_dict pre-hook
    model.load_state_dict(lukemelas_b4.state_dict(), strict=True)
    # paddings precomputed for 380 px, as the official backbone's
    assert model.conv_stem.static_padding == (0, 1, 0, 1)
    assert model.blocks[2][0].conv_dw.static_padding == (2, 2, 2, 2)
    assert model.blocks[3][0].conv_dw.static_padding == (0, 1, 0, 1)
    assert model.blocks[5][0].conv_dw.static_padding == (1, 2, 1, 2)
    assert isinstance(model.blocks[1][0].conv_dw, StaticSamePadConv2d)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        ref = lukemelas_b4.extract_endpoints(x)
        outs = model(x)
    assert len(ref) == len(outs) == 6
    for i, (key, expected) in enumerate(ref.items()):
        assert outs[i].shape == expected.shape, key
        torch.testing.assert_close(
            outs[i], expected, atol=1e-4, rtol=0, msg=key)


@pytest.mark.slow  # full B4 at 384 px
def test_dynamic_padding_differs_at_stage_3(lukemelas_b4):
    model = EfficientNet(arch='b4', out_indices=(0, 1, 2)).eval()
    model.load_state_dict(lukemelas_b4.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        ref = lukemelas_b4.extract_endpoints(x)
        outs = model(x)
    # stem and stage-2 downsampling pad alike; block 6 (stage 3) does not
    torch.testing.assert_close(outs[0], ref['reduction_1'], atol=1e-4, rtol=0)
    torch.testing.assert_close(outs[1], ref['reduction_2'], atol=1e-4, rtol=0)
    assert (outs[2] - ref['reduction_3']).abs().max() > 1e-2


def test_pretrained_lukemelas_file(tmp_path):
    torch.manual_seed(1)
    ref = efficientnet_pytorch.EfficientNet.from_name('efficientnet-b0')
    path = tmp_path / 'adv-efficientnet-b0.pth'
    torch.save(ref.state_dict(), path)  # includes the ImageNet _fc
    model = EfficientNet(
        arch='b0', init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    with capture_log() as messages:
        model.init_weights()
    assert any('converted' in m and 'lukemelas' in m for m in messages)
    torch.testing.assert_close(model.conv_stem.weight, ref._conv_stem.weight)
    torch.testing.assert_close(model.blocks[1][0].conv_pwl.weight,
                               ref._blocks[1]._project_conv.weight)
    torch.testing.assert_close(model.bn2.running_var, ref._bn1.running_var)


def test_pretrained_timm_file_with_classifier(tmp_path):
    import timm
    torch.manual_seed(2)
    net = timm.create_model('tf_efficientnet_b0', pretrained=False)
    path = tmp_path / 'tf_efficientnet_b0.pth'
    torch.save(net.state_dict(), path)
    model = EfficientNet(arch='b0')
    incompatible = model.load_state_dict(torch.load(path), strict=True)
    assert not incompatible.missing_keys
    torch.testing.assert_close(model.conv_head.weight, net.conv_head.weight)


def test_frozen_stages_and_norm_eval():
    model = EfficientNet(arch='b0', frozen_stages=2, norm_eval=True)
    model.train()
    assert not model.conv_stem.weight.requires_grad
    assert not any(p.requires_grad for p in model.blocks[1].parameters())
    assert all(p.requires_grad for p in model.blocks[2].parameters())
    assert model.conv_head.weight.requires_grad
    assert not model.bn1.training
    assert all(not m.training for m in model.modules()
               if isinstance(m, nn.BatchNorm2d))
    model = EfficientNet(arch='b0', frozen_stages=8)
    model.train()
    assert not any(p.requires_grad for p in model.parameters())
