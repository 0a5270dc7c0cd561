# Copyright (c) laanet contributors. All rights reserved.
"""init_model with no, laanet and official checkpoints."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.apis import DeepfakeInferencer, init_model
from laanet.models.detectors.laanet_ckpt_convert import \
    convert_official_state_dict
from laanet.testing import get_detector_cfg
from laanet.testing.official_parity import read_official_keys
from laanet.utils.demo_media import astronaut_bgr

# slow: full B4 models and real media
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KEYS_FILE = osp.join(REPO, 'tests', 'data',
                     'official-state-dict.txt')
B4_CONFIG = osp.join(REPO, 'configs', '_base_', 'models',
                     'laanet_efn-b4-efpn.py')


def _b0_cfg(**model_overrides) -> Config:
    model = get_detector_cfg('b0')
    model.update(model_overrides)
    return Config(dict(default_scope='laanet', model=model))


def test_random_init(tmp_path):
    model = init_model(_b0_cfg())
    assert not model.training
    assert model.cfg.model.backbone.arch == 'b0'
    with pytest.raises(FileNotFoundError, match='missing.py'):
        init_model(str(tmp_path / 'missing.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        init_model(_b0_cfg(), str(tmp_path / 'missing.pth'))


def test_laanet_checkpoint_round_trip(tmp_path):
    src = init_model(_b0_cfg())
    with torch.no_grad():
        for p in src.parameters():
            p.normal_()
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(meta=dict(epoch=1), state_dict=src.state_dict()), path)
    loaded = init_model(_b0_cfg(), path)
    for (name, a), b in zip(src.state_dict().items(),
                            loaded.state_dict().values()):
        assert torch.equal(a, b), name


def test_mismatched_checkpoint_is_refused(tmp_path):
    src = init_model(_b0_cfg())
    path = str(tmp_path / 'b0.pth')
    torch.save(dict(state_dict=src.state_dict()), path)
    cfg = _b0_cfg(consistency_head=None)
    with pytest.raises(RuntimeError, match=r'b0\.pth does not fit'):
        init_model(cfg, path)


def _official_state_dict(seed: int = 0) -> dict:
    """A random state dict with the official B4 keys, shapes and the
    duplicated inception tensors (``deconv_4.0.*`` = ``inception_block.*``)
    of the released checkpoints."""
    gen = torch.Generator().manual_seed(seed)
    sd = {}
    for key, shape, alias in read_official_keys(KEYS_FILE):
        if alias:
            sd[key] = sd[key.replace('deconv_4.0.', 'inception_block.')]
        elif key.endswith('num_batches_tracked'):
            sd[key] = torch.tensor(100)
        elif key.endswith('running_var'):
            sd[key] = torch.rand(shape, generator=gen) + 0.5
        else:
            sd[key] = torch.randn(shape, generator=gen) * 0.05
    return sd


def test_official_checkpoint_converted_on_the_fly(tmp_path):
    official = _official_state_dict()
    assert len(official) == 803
    path = str(tmp_path / 'PoseEfficientNet_model_best.pth')
    # the official format: module-free keys under 'state_dict'
    torch.save(dict(epoch=99, state_dict=official, optimizer={}), path)
    cfg = Config.fromfile(B4_CONFIG)
    model = init_model(cfg, path)
    expected = convert_official_state_dict(
        official, stage_depths=[len(s) for s in model.backbone.blocks])
    state = model.state_dict()
    assert set(expected) <= set(state)
    for name, value in expected.items():
        assert torch.equal(state[name], value.float()), name

    # and the inferencer loads it the same way and scores a face
    cfg.test_pipeline = [
        dict(type='CenterCropLetterbox', margin=5, scale=64),
        dict(type='PackDeepfakeInputs', pair=False)
    ]
    inf = DeepfakeInferencer(cfg, weights=path, show_progress=False)
    inf_state = inf.model.state_dict()
    for name, value in expected.items():
        assert torch.equal(inf_state[name], value.float()), name
    (r, ) = inf(astronaut_bgr())['predictions']
    assert 0. <= r['score'] <= 1. and np.isfinite(r['score'])
