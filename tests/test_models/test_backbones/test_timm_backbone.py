# Copyright (c) laanet contributors. All rights reserved.
import pytest
import timm
import torch

from laanet.models.backbones import TIMMBackbone


def test_returns_the_last_feature_map():
    net = TIMMBackbone(model_name='resnet10t')
    out = net(torch.rand(2, 3, 64, 64))
    assert isinstance(out, tuple) and len(out) == 1
    assert out[0].shape == (2, net.out_channels[0], 2, 2)


def test_local_weights_load_and_mismatches_are_named(tmp_path):
    src = timm.create_model('resnet10t', pretrained=False, num_classes=7)
    path = str(tmp_path / 'w.pth')
    torch.save(src.state_dict(), path)
    net = TIMMBackbone(model_name='resnet10t', checkpoint_path=path)
    assert torch.equal(net.timm_model.conv1[0].weight, src.conv1[0].weight)
    sd = src.state_dict()
    sd.pop('conv1.0.weight')
    torch.save(sd, path)
    with pytest.raises(RuntimeError, match=r'(?s)w\.pth.*conv1\.0\.weight'):
        TIMMBackbone(model_name='resnet10t', checkpoint_path=path)


def test_never_downloads_and_checks_the_name():
    with pytest.raises(ValueError, match='never downloads'):
        TIMMBackbone(model_name='resnet10t', pretrained=True)
    with pytest.raises(ValueError, match='no model'):
        TIMMBackbone(model_name='not_a_model_xyz')
