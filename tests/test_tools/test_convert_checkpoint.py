# Copyright (c) laanet contributors. All rights reserved.
"""tools/model_converters/convert_checkpoint.py: one tool, driven by the
models' load hooks, for official LAA-Net, official SBI and lukemelas
EfficientNet files (B0 where possible, so the quick suite stays quick)."""
import hashlib

import pytest
import torch
from mmengine.config import Config

from laanet.apis import init_model
from laanet.testing import get_detector_cfg, load_tool

SBI_B0 = dict(
    type='DeepfakeClassifier',
    data_preprocessor=dict(mean=[0., 0., 0.], std=[255., 255., 255.]),
    backbone=dict(type='EfficientNet', arch='b0', out_indices=(5, )),
    cls_head=dict(type='LinearClsHead', in_channels=1280, num_classes=2))


def _config(tmp_path, model, name):
    path = str(tmp_path / name)
    Config(dict(model=model)).dump(path)
    return path


@pytest.fixture
def tool():
    return load_tool('tools/model_converters/convert_checkpoint.py')


@pytest.fixture
def sbi_b0(tmp_path):
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    torch.manual_seed(0)
    ref = efficientnet_pytorch.EfficientNet.from_name(
        'efficientnet-b0', num_classes=2).eval()
    path = tmp_path / 'FFraw.tar'
    sd = {'net.' + k: v for k, v in ref.state_dict().items()}
    torch.save(dict(model=sd, optimizer=dict(state={}), epoch=97), path)
    return ref, path, _config(tmp_path, SBI_B0, 'sbi_b0.py')


def test_sbi_file_converts_once_and_loads_like_the_original(
        tmp_path, tool, sbi_b0):
    ref, src, config = sbi_b0
    dst = tmp_path / 'out' / 'sbi.pth'
    assert tool.main([config, str(src), str(dst)]) == 0
    ckpt = torch.load(dst, weights_only=True)
    meta = ckpt['meta']
    assert meta['source_sha256'] == hashlib.sha256(
        src.read_bytes()).hexdigest()
    assert meta['source_epoch'] == 97
    assert meta['source_kind'] == 'official SBI'
    torch.testing.assert_close(ckpt['state_dict']['cls_head.fc.weight'],
                               ref._fc.weight)
    # the converted file and the original give the same model
    a = init_model(config, str(dst), device='cpu')
    b = init_model(config, str(src), device='cpu')
    for (ka, va), (kb, vb) in zip(a.state_dict().items(),
                                  b.state_dict().items()):
        assert ka == kb and torch.equal(va, vb), ka


def test_refuses_a_partial_or_foreign_file_naming_the_keys(
        tmp_path, tool, sbi_b0, capsys):
    _, src, config = sbi_b0
    ckpt = torch.load(src, weights_only=True)
    del ckpt['model']['net._fc.bias']
    torch.save(ckpt, src)
    dst = tmp_path / 'sbi.pth'
    assert tool.main([config, str(src), str(dst)]) == 1
    err = capsys.readouterr().err
    assert 'FFraw.tar' in err and 'cls_head.fc.bias' in err
    assert 'missing keys' in err and 'official SBI' in err
    assert not dst.exists()
    other = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'w': torch.zeros(1)}), other)
    assert tool.main([config, str(other), str(dst)]) == 1
    err = capsys.readouterr().err
    assert 'other.pth' in err and '"w"' in err  # the unexpected key
    assert tool.main([config, str(tmp_path / 'missing.tar'), str(dst)]) == 1
    assert 'no such file' in capsys.readouterr().err
    assert not dst.exists()


def test_lukemelas_backbone_weights_and_another_arch(tmp_path, tool, capsys):
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    src, dst = tmp_path / 'adv-b0.pth', tmp_path / 'b0.pth'
    torch.save(
        efficientnet_pytorch.EfficientNet.from_name(
            'efficientnet-b0').state_dict(), src)
    b0 = _config(tmp_path, get_detector_cfg('b0'), 'laanet_b0.py')
    assert tool.main([b0, str(src), str(dst), '--part', 'backbone']) == 0
    out = torch.load(dst, weights_only=True)
    assert 'conv_stem.weight' in out['state_dict']
    assert not any(k.startswith('classifier') for k in out['state_dict'])
    assert 'lukemelas' in out['meta']['source_kind']
    b4 = _config(tmp_path, get_detector_cfg('b4'), 'laanet_b4.py')
    assert tool.main([b4, str(src), str(tmp_path / 'x.pth'), '--part',
                      'backbone']) == 1
    assert 'EfficientNet-b0' in capsys.readouterr().err


@pytest.mark.slow  # full B4 official-layout network
def test_official_laanet_checkpoint(tmp_path, tool, capsys):
    pytest.importorskip('efficientnet_pytorch')
    from official_reference.network import OfficialReferenceLAANet
    torch.manual_seed(0)
    official = OfficialReferenceLAANet().state_dict()
    config = 'configs/_base_/models/laanet_efn-b4-efpn.py'
    src, dst = tmp_path / 'official.pth', tmp_path / 'out' / 'laanet.pth'
    state = {'module.' + k: v.double() for k, v in official.items()}
    torch.save(dict(epoch=1, state_dict=state, optimizer={}), src)
    assert tool.main([config, str(src), str(dst)]) == 0
    ckpt = torch.load(dst, weights_only=True)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert ckpt['meta']['source_sha256'] == sha
    assert ckpt['meta']['source_kind'] == 'official LAA-Net'
    assert len(ckpt['state_dict']) == 785
    torch.testing.assert_close(
        ckpt['state_dict']['neck.top_block.conv.weight'],
        official['deconv_1.0.0.weight'])
    assert all(v.dtype != torch.float64 for v in ckpt['state_dict'].values())
    # an incomplete file: every offending key named, nothing written
    del state['module.hm.3.bias']
    state['module.extra.weight'] = torch.zeros(1)
    bad, bad_dst = tmp_path / 'bad.pth', tmp_path / 'bad_out.pth'
    torch.save(state, bad)
    assert tool.main([config, str(bad), str(bad_dst)]) == 1
    err = capsys.readouterr().err
    assert 'bad.pth' in err and 'extra.weight' in err
    assert not bad_dst.exists()
