# Copyright (c) laanet contributors. All rights reserved.
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner

from laanet.engine import FreezeBackboneHook, enable_mmengine_checkpoints
from laanet.testing import ToyDeepfakeModel, toy_runner_cfg


class RecordHook(Hook):
    """Record the weights and requires_grad at the end of each epoch."""

    def __init__(self):
        self.records = []

    def after_train_epoch(self, runner):
        model = runner.model
        self.records.append(
            dict(
                backbone=[
                    p.detach().clone() for p in model.backbone.parameters()
                ],
                bn_mean=model.backbone[1].running_mean.clone(),
                cls=model.cls.weight.detach().clone(),
                requires_grad=[
                    p.requires_grad for p in model.backbone.parameters()
                ],
                lr=runner.optim_wrapper.get_lr()['lr'][0]))


def _train(tmp_path, max_epochs, unfreeze_epoch=1, **kwargs):
    record = RecordHook()
    cfg = toy_runner_cfg(
        str(tmp_path),
        max_epochs=max_epochs,
        custom_hooks=[
            dict(
                type='FreezeBackboneHook',
                unfreeze_epoch=unfreeze_epoch,
                **kwargs)
        ])
    runner = Runner.from_cfg(Config(cfg))
    runner.register_hook(record, priority='VERY_LOW')
    initial = [p.detach().clone() for p in runner.model.backbone.parameters()]
    bn0 = runner.model.backbone[1].running_mean.clone()
    runner.train()
    return runner, record.records, initial, bn0


def test_backbone_frozen_then_trained(tmp_path):
    _, rec, initial, bn0 = _train(tmp_path, max_epochs=2)
    # Epoch 0: backbone weights (BN affine included) unchanged, BN running
    # statistics still updated, heads trained.
    assert rec[0]['requires_grad'] == [False] * len(initial)
    for p, p0 in zip(rec[0]['backbone'], initial):
        assert torch.equal(p, p0)
    assert not torch.equal(rec[0]['bn_mean'], bn0)
    # Epoch 1: unfrozen and trained.
    assert rec[1]['requires_grad'] == [True] * len(initial)
    assert all(not torch.equal(p, p0)
               for p, p0 in zip(rec[1]['backbone'], initial))
    assert not torch.equal(rec[1]['cls'], rec[0]['cls'])


def test_freeze_bn_stats_option(tmp_path):
    _, rec, _, bn0 = _train(
        tmp_path, max_epochs=1, unfreeze_epoch=5, freeze_bn_stats=True)
    assert torch.equal(rec[0]['bn_mean'], bn0)


@pytest.mark.slow  # a resumed Runner
def test_resume_after_unfreeze_epoch_does_not_freeze(tmp_path):
    _train(tmp_path, max_epochs=2)
    cfg = toy_runner_cfg(
        str(tmp_path),
        max_epochs=3,
        resume=True,
        custom_hooks=[dict(type='FreezeBackboneHook', unfreeze_epoch=1)])
    record = RecordHook()
    enable_mmengine_checkpoints()  # resuming, as build_runner does
    runner = Runner.from_cfg(Config(cfg))
    runner.register_hook(record, priority='VERY_LOW')
    runner.train()
    assert len(record.records) == 1
    assert all(record.records[0]['requires_grad'])


def _fake_runner(model, params=None):
    params = list(model.parameters()) if params is None else params
    optim = OptimWrapper(torch.optim.Adam(params))
    return SimpleNamespace(
        model=model,
        optim_wrapper=optim,
        epoch=0,
        logger=SimpleNamespace(info=lambda msg: None))


def test_refuses_parameters_missing_from_optimizer():
    model = ToyDeepfakeModel()
    runner = _fake_runner(model, list(model.cls.parameters()))
    with pytest.raises(ValueError, match='not in the optimizer'):
        FreezeBackboneHook().before_train(runner)


def test_bad_arguments():
    with pytest.raises(ValueError, match='unfreeze_epoch'):
        FreezeBackboneHook(unfreeze_epoch=-1)
    runner = _fake_runner(ToyDeepfakeModel())
    with pytest.raises(AttributeError, match="'neck'"):
        FreezeBackboneHook(module_name='neck').before_train(runner)
