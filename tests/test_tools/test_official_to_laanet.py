# Copyright (c) laanet contributors. All rights reserved.
import hashlib

import pytest
import torch

from laanet.testing import load_tool

# slow: full B4 official-layout networks
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def official_state():
    pytest.importorskip('efficientnet_pytorch')
    from official_reference.network import OfficialReferenceLAANet
    torch.manual_seed(0)
    return OfficialReferenceLAANet().state_dict()


def test_converts_official_checkpoint(tmp_path, official_state):
    tool = load_tool('tools/model_converters/official_to_laanet.py')
    src, dst = tmp_path / 'official.pth', tmp_path / 'out' / 'laanet.pth'
    state = {'module.' + k: v.double() for k, v in official_state.items()}
    torch.save(dict(epoch=1, state_dict=state, optimizer={}), src)
    assert tool.main([str(src), str(dst)]) == 0
    ckpt = torch.load(dst, weights_only=True)
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    assert ckpt['meta']['source_sha256'] == sha
    assert len(ckpt['state_dict']) == 785
    torch.testing.assert_close(
        ckpt['state_dict']['neck.top_block.conv.weight'],
        official_state['deconv_1.0.0.weight'])
    assert all(v.dtype != torch.float64 for v in ckpt['state_dict'].values())


def test_refuses_incomplete_checkpoint(tmp_path, official_state, capsys):
    tool = load_tool('tools/model_converters/official_to_laanet.py')
    state = dict(official_state)
    del state['hm.3.bias']
    state['extra.weight'] = torch.zeros(1)
    src, dst = tmp_path / 'bad.pth', tmp_path / 'bad_out.pth'
    torch.save(state, src)
    assert tool.main([str(src), str(dst)]) == 1
    err = capsys.readouterr().err
    assert 'bad.pth' in err and 'extra.weight' in err
    assert not dst.exists()


def test_converts_lukemelas_backbone_and_refuses_other_arch(tmp_path, capsys):
    from efficientnet_pytorch import EfficientNet
    tool = load_tool('tools/model_converters/official_to_laanet.py')
    src, dst = tmp_path / 'adv-b0.pth', tmp_path / 'b0.pth'
    torch.save(EfficientNet.from_name('efficientnet-b0').state_dict(), src)
    assert tool.main([str(src), str(dst), '--arch', 'b0']) == 0
    out = torch.load(dst, weights_only=True)
    assert 'conv_stem.weight' in out['state_dict']
    assert not any(k.startswith('classifier') for k in out['state_dict'])
    assert tool.main([str(src), str(tmp_path / 'x.pth')]) == 1  # b4
    assert 'EfficientNet-b0' in capsys.readouterr().err
    assert tool.main([str(tmp_path / 'missing.pth'), str(dst)]) == 1
    torch.save({'foo': torch.zeros(1)}, tmp_path / 'foo.pth')
    assert tool.main([str(tmp_path / 'foo.pth'), str(dst)]) == 1
    assert 'neither an official' in capsys.readouterr().err
