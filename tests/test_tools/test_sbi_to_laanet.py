# Copyright (c) laanet contributors. All rights reserved.
"""tools/model_converters/sbi_to_laanet.py on SBI-layout files (B0, so the
quick suite stays quick; the B4 parity is in test_deepfake_classifier)."""
import hashlib

import pytest
import torch
from mmengine.config import Config

from laanet.apis import init_model
from laanet.testing import load_tool

B0_CONFIG = dict(model=dict(
    type='DeepfakeClassifier',
    data_preprocessor=dict(mean=[0., 0., 0.], std=[255., 255., 255.]),
    backbone=dict(type='EfficientNet', arch='b0', out_indices=(5, )),
    cls_head=dict(type='LinearClsHead', in_channels=1280, num_classes=2)))


@pytest.fixture
def b0_config(tmp_path):
    path = str(tmp_path / 'sbi_b0.py')
    Config(B0_CONFIG).dump(path)
    return path


@pytest.fixture
def sbi_b0(tmp_path):
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    torch.manual_seed(0)
    ref = efficientnet_pytorch.EfficientNet.from_name(
        'efficientnet-b0', num_classes=2).eval()
    path = tmp_path / 'FFraw.tar'
    sd = {'net.' + k: v for k, v in ref.state_dict().items()}
    torch.save(dict(model=sd, optimizer=dict(state={}), epoch=97), path)
    return ref, path


def test_converts_once_and_loads_like_the_original(tmp_path, b0_config,
                                                   sbi_b0):
    tool = load_tool('tools/model_converters/sbi_to_laanet.py')
    ref, src = sbi_b0
    dst = tmp_path / 'out' / 'sbi.pth'
    assert tool.main([str(src), str(dst), '--config', b0_config]) == 0
    ckpt = torch.load(dst, weights_only=True)
    assert ckpt['meta']['source_sha256'] == hashlib.sha256(
        src.read_bytes()).hexdigest()
    assert ckpt['meta']['source_epoch'] == 97
    torch.testing.assert_close(ckpt['state_dict']['cls_head.fc.weight'],
                               ref._fc.weight)
    # the converted file and the original give the same model
    a = init_model(b0_config, str(dst), device='cpu')
    b = init_model(b0_config, str(src), device='cpu')
    for (ka, va), (kb, vb) in zip(a.state_dict().items(),
                                  b.state_dict().items()):
        assert ka == kb and torch.equal(va, vb), ka


def test_refuses_a_partial_file_naming_the_keys(tmp_path, b0_config, sbi_b0,
                                                capsys):
    tool = load_tool('tools/model_converters/sbi_to_laanet.py')
    _, src = sbi_b0
    ckpt = torch.load(src, weights_only=True)
    del ckpt['model']['net._fc.bias']
    torch.save(ckpt, src)
    dst = tmp_path / 'sbi.pth'
    assert tool.main([str(src), str(dst), '--config', b0_config]) == 1
    err = capsys.readouterr().err
    assert 'FFraw.tar' in err and 'cls_head.fc.bias' in err
    assert 'missing keys' in err
    assert not dst.exists()


def test_refuses_what_is_not_an_sbi_file(tmp_path, b0_config, capsys):
    tool = load_tool('tools/model_converters/sbi_to_laanet.py')
    src = tmp_path / 'other.pth'
    torch.save(dict(state_dict={'w': torch.zeros(1)}), src)
    assert tool.main([str(src), str(tmp_path / 'o.pth'), '--config',
                      b0_config]) == 1
    assert 'not an official SBI checkpoint' in capsys.readouterr().err
    assert tool.main([str(tmp_path / 'missing.tar'),
                      str(tmp_path / 'o.pth')]) == 1
    assert 'no such file' in capsys.readouterr().err
