# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from laanet.engine import SAM
from laanet.testing.schedules import lr_per_epoch
from laanet.utils import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
SCHEDULES = osp.join(ROOT, 'configs', '_base_', 'schedules')


def official_lr(epoch: int, base: float = 5e-5) -> float:
    """LinearDecayLR of the official code (laanet-reference §5)."""
    if epoch < 25:
        return base + 3 * base * epoch / 25
    return 4 * base * (1 - (epoch - 25) / 75)


def _lrs_per_epoch(cfg_name: str):
    register_all_modules()
    cfg = Config.fromfile(osp.join(SCHEDULES, cfg_name))
    lrs, wrapper = lr_per_epoch(cfg)
    return lrs, wrapper, cfg


@pytest.mark.parametrize('name', ['sam-adam_100e.py', 'adam_100e.py'])
def test_lr_per_epoch_matches_official(name):
    lrs, _, cfg = _lrs_per_epoch(name)
    assert len(lrs) == 100
    # The values measured on the official code.
    measured = {
        0: 5e-5,
        6: 8.6e-5,
        24: 1.94e-4,
        25: 2e-4,
        50: 1.33e-4,
        99: 2.67e-6
    }
    for epoch, lr in measured.items():
        assert lrs[epoch] == pytest.approx(lr, rel=3e-3), epoch
    for epoch, lr in enumerate(lrs):
        assert lr == pytest.approx(official_lr(epoch), rel=1e-6), epoch
    assert all(s.by_epoch for s in cfg.param_scheduler)


def test_sam_schedule_builds_sam_with_official_settings():
    _, wrapper, cfg = _lrs_per_epoch('sam-adam_100e.py')
    sam = wrapper.optimizer
    assert isinstance(sam, SAM)
    assert isinstance(sam.base_optimizer, torch.optim.Adam)
    group = sam.param_groups[0]
    assert group['rho'] == 0.05 and group['weight_decay'] == 1e-4
    assert sam.bn_second_pass == 'update'
    assert cfg.custom_hooks[0].type == 'FreezeBackboneHook'
    assert cfg.custom_hooks[0].unfreeze_epoch == 6
    assert cfg.model_wrapper_cfg.find_unused_parameters


def test_adam_schedule_is_plain_adam():
    _, wrapper, _ = _lrs_per_epoch('adam_100e.py')
    assert type(wrapper.optimizer) is torch.optim.Adam
    assert wrapper.optimizer.param_groups[0]['weight_decay'] == 2e-5


def sbi_lr(epoch: int, base: float = 1e-3, n_epoch: int = 100,
           start_decay: int = 75) -> float:
    """SBI's LinearDecayLR (src/utils/scheduler.py), stepped per epoch."""
    if epoch > start_decay:
        return base - base / (n_epoch - start_decay) * (epoch - start_decay)
    return base


def test_sbi_schedule_is_sbi_linear_decay_over_sam_sgd():
    lrs, wrapper, cfg = _lrs_per_epoch('sam-sgd_100e_sbi.py')
    assert len(lrs) == 100
    for epoch, lr in enumerate(lrs):
        assert lr == pytest.approx(sbi_lr(epoch), rel=1e-6, abs=1e-12), epoch
    assert lrs[75] == 1e-3 and lrs[76] == pytest.approx(9.6e-4)
    assert lrs[99] == pytest.approx(4e-5)
    opt = wrapper.optimizer
    assert isinstance(opt, SAM)
    assert type(opt.base_optimizer).__name__ == 'SGD'
    group = opt.param_groups[0]
    assert group['rho'] == 0.05 and group['momentum'] == 0.9
    assert group['weight_decay'] == 0 and not group['adaptive']
    assert opt.bn_second_pass == 'update'
