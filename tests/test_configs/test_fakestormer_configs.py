# Copyright (c) laanet contributors. All rights reserved.
"""The FakeSTormer configs: the official lr of every epoch, the SAM/Adam
settings, the freeze, and the real models built from the configs."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import PARAM_SCHEDULERS

from laanet.engine import SAM
from laanet.registry import MODELS
from laanet.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = osp.join(ROOT, 'configs', 'fakestormer')
LR = osp.join(ROOT, 'tests', 'data', 'fakestormer', 'lr.npz')
RECIPES = {
    'c23': osp.join(CONFIGS, 'fakestormer_c23.py'),
    'c0': osp.join(CONFIGS, 'fakestormer_c0.py'),
}


def setup_module():
    register_all_modules()


def _lr_per_epoch(cfg):
    wrapper = build_optim_wrapper(torch.nn.Linear(2, 1), cfg.optim_wrapper)
    schedulers = [
        PARAM_SCHEDULERS.build(dict(s, optimizer=wrapper))
        for s in cfg.param_scheduler
    ]
    lrs = []
    for _ in range(cfg.train_cfg.max_epochs):
        lrs.append(wrapper.get_lr()['lr'][0])
        for s in schedulers:
            s.step()
    return np.array(lrs), wrapper


@pytest.mark.parametrize('variant', ['c23', 'c0'])
def test_lr_of_every_epoch_matches_official(variant):
    """The official LinearDecayLR, as scripts/train.py builds it, stepped
    once per epoch (tests/data/fakestormer/lr.npz)."""
    register_all_modules()
    cfg = Config.fromfile(RECIPES[variant])
    lrs, wrapper = _lr_per_epoch(cfg)
    ref = np.load(LR)[f'{variant}_lr']
    assert lrs.shape == ref.shape == ((200, ) if variant == 'c23' else
                                      (120, ))
    np.testing.assert_allclose(lrs, ref, rtol=1e-12, atol=0)
    sam = wrapper.optimizer
    assert isinstance(sam, SAM)
    assert isinstance(sam.base_optimizer, torch.optim.Adam)
    group = sam.param_groups[0]
    assert group['rho'] == 0.05 and group['weight_decay'] == 1e-4
    assert group['betas'] == (0.9, 0.995)
    assert sam.bn_second_pass == 'update'
    (hook, ) = cfg.custom_hooks
    assert hook.type == 'FreezeBackboneHook' and hook.unfreeze_epoch == 5
    assert cfg.model.backbone.init_cfg.type == 'Pretrained'
    assert cfg.auto_scale_lr.base_batch_size == 64


def test_tiny_model_config_is_tiny():
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs', '_base_', 'models',
                 'fakestormer_vit-tiny_64px.py'))
    model = MODELS.build(cfg.model)
    n = sum(p.numel() for p in model.parameters())
    assert 1e5 < n < 1e6
    model.eval()
    with torch.no_grad():
        out = model(torch.randn(1, 3, 4, 64, 64), mode='tensor')
    assert out['heatmap'].shape == (1, 1, 4, 4, 4)


@pytest.mark.slow
@pytest.mark.parametrize('variant', ['c23', 'c0'])
def test_real_configs_build_and_run_one_forward(variant):
    cfg = Config.fromfile(RECIPES[variant])
    cfg.model.backbone.init_cfg = None
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.eval()
    raw = torch.randint(0, 256, (1, 3, 4, 224, 224), dtype=torch.uint8)
    data = model.data_preprocessor(dict(inputs=list(raw)), False)
    with torch.no_grad():
        out = model(data['inputs'], mode='tensor')
    assert out['cls'].shape == (1, 1)
    assert out['temporal'].shape == (1, 4)
    assert out['heatmap'].shape == (1, 1, 4, 14, 14)
