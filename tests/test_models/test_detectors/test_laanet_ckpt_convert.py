# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import pytest
import torch

from laanet.models.backbones.efficientnet_arch import stage_depths_of
from laanet.models.backbones.efficientnet_ckpt_convert import (
    convert_lukemelas_backbone, is_lukemelas_backbone)
from laanet.models.detectors.laanet_ckpt_convert import (
    check_state_dict_matches, convert_official_state_dict, is_official_laanet)
from laanet.registry import MODELS
from laanet.testing import get_detector_cfg
from laanet.testing.official_parity import (identity_official_state_dict,
                                            read_official_keys,
                                            to_official_state_dict)
from laanet.utils import register_all_modules

KEY_FILE = osp.join(
    osp.dirname(__file__), '..', '..', 'data', 'official-state-dict.txt')


def official_keys():
    """(key, shape, is-alias) rows of the official checkpoint."""
    return read_official_keys(KEY_FILE)


def synthetic_official_state_dict():
    """float64 tensors whose values identify their key; aliases equal."""
    return identity_official_state_dict(KEY_FILE)


def test_key_file_is_complete():
    rows = official_keys()
    assert len(rows) == 803
    assert sum(r[0].startswith('deconv_4.0.') for r in rows) == 18
    assert [r[0] for r in rows if r[2]] == [
        r[0] for r in rows if r[0].startswith('deconv_4.0.')
    ]


def test_round_trip_every_key_used_and_placed():
    register_all_modules()
    src = synthetic_official_state_dict()
    assert is_official_laanet(src)
    out = convert_official_state_dict(src)
    assert len(out) == 803 - 18
    # every source tensor appears exactly once (by its identifying value)
    values = {}
    for key, value in out.items():
        if value.dtype == torch.long:
            ident = int(value)
        else:
            assert value.dtype == torch.float32
            assert value.min() == value.max()
            ident = int(value.flatten()[0])
        assert ident not in values, (key, values.get(ident))
        values[ident] = key
    index = {key: i for i, (key, _, _) in enumerate(official_keys())}
    used = {index[k] for k in src if not k.startswith('deconv_4.0.')}
    assert set(values) == used
    # spot checks of where tensors go
    where = {
        k: values[index[k]]
        for k in ('_conv_stem.weight', '_bn0.running_var',
                  '_blocks.0._bn1.weight', '_blocks.0._project_conv.weight',
                  '_blocks.2._expand_conv.weight', '_blocks.2._bn1.weight',
                  '_blocks.6._depthwise_conv.weight', '_blocks.31._bn2.bias',
                  '_bn1.weight', 'deconv_2.1.weight',
                  'inception_block.conv5_block.1.running_mean', 'hm.3.bias',
                  'cls.5.weight', 'cstency.0.weight')
    }
    assert where == {
        '_conv_stem.weight': 'backbone.conv_stem.weight',
        '_bn0.running_var': 'backbone.bn1.running_var',
        '_blocks.0._bn1.weight': 'backbone.blocks.0.0.bn1.weight',
        '_blocks.0._project_conv.weight': 'backbone.blocks.0.0.conv_pw.weight',
        '_blocks.2._expand_conv.weight': 'backbone.blocks.1.0.conv_pw.weight',
        '_blocks.2._bn1.weight': 'backbone.blocks.1.0.bn2.weight',
        '_blocks.6._depthwise_conv.weight':
        'backbone.blocks.2.0.conv_dw.weight',
        '_blocks.31._bn2.bias': 'backbone.blocks.6.1.bn3.bias',
        '_bn1.weight': 'backbone.bn2.weight',
        'deconv_2.1.weight': 'neck.up_blocks.0.deconv.weight',
        'inception_block.conv5_block.1.running_mean':
        'neck.up_blocks.2.block.conv5.bn.running_mean',
        'hm.3.bias': 'heatmap_head.final_conv.bias',
        'cls.5.weight': 'cls_head.fc.weight',
        'cstency.0.weight': 'consistency_head.conv.weight',
    }
    # and the result fits the model exactly (keys and shapes)
    model = MODELS.build(get_detector_cfg('b4'))
    check_state_dict_matches(out, model.state_dict())


def test_laanet_state_dict_written_in_the_official_layout():
    """to_official_state_dict inverts the converter (803 keys, aliases)."""
    register_all_modules()
    torch.manual_seed(0)
    state = MODELS.build(get_detector_cfg('b4')).state_dict()
    official = to_official_state_dict(state, KEY_FILE)
    assert list(official) == [r[0] for r in official_keys()]
    assert official['deconv_4.0.pw_block.0.weight'].dtype == torch.float64
    torch.testing.assert_close(official['deconv_4.0.pw_block.1.running_var'],
                               official['inception_block.pw_block.1.'
                                        'running_var'])
    back = convert_official_state_dict(official)
    assert sorted(back) == sorted(state)
    for key, value in state.items():
        assert torch.equal(back[key], value), key


def test_inconsistent_duplicate_and_unmapped_keys_raise():
    src = synthetic_official_state_dict()
    src['deconv_4.0.pw_block.0.weight'] += 1
    with pytest.raises(ValueError, match='deconv_4.0.pw_block.0.weight'):
        convert_official_state_dict(src)
    src = synthetic_official_state_dict()
    src['offset.0.weight'] = torch.zeros(1)
    src['hm.9.weight'] = torch.zeros(1)
    with pytest.raises(ValueError, match='offset.0.weight, hm.9.weight'):
        convert_official_state_dict(src)


def test_other_architecture_is_a_clear_error():
    pytest.importorskip('efficientnet_pytorch')
    from efficientnet_pytorch import EfficientNet
    b0 = EfficientNet.from_name('efficientnet-b0').state_dict()
    assert is_lukemelas_backbone(b0)
    with pytest.raises(ValueError, match=r'16 EfficientNet blocks.*b0.*32'):
        convert_lukemelas_backbone(b0, stage_depths=stage_depths_of('b4'))
    # same block count, different widths: shapes are listed
    b1 = convert_lukemelas_backbone(
        EfficientNet.from_name('efficientnet-b1').state_dict())
    b2 = EfficientNet.from_name('efficientnet-b2').state_dict()
    expected = convert_lukemelas_backbone(b2)
    with pytest.raises(ValueError) as e:
        check_state_dict_matches(b1, expected)
    assert 'EfficientNet-b0/b1 but the model is EfficientNet-b2' in str(
        e.value)
    assert 'conv_head.weight: checkpoint (1280, 320, 1, 1)' in str(e.value)


def test_stage_depths():
    assert stage_depths_of('b4') == [2, 4, 4, 6, 6, 8, 2]
    assert sum(stage_depths_of('b0')) == 16
