# Copyright (c) laanet contributors. All rights reserved.
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from laanet.engine import (DeviceAmpOptimWrapper, apply_test_options,
                           apply_train_options, build_runner,
                           prepare_cpu_distributed)
from laanet.testing import toy_runner_cfg

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY_CFG = osp.join(ROOT, 'tests', 'data', 'toy_sam_config.py')


def _cfg():
    return Config.fromfile(TOY_CFG)


def test_work_dir_order():
    cfg = apply_train_options(_cfg(), TOY_CFG)
    assert cfg.work_dir == osp.join('./work_dirs', 'toy_sam_config')
    cfg = apply_train_options(_cfg(), TOY_CFG, work_dir='/tmp/x')
    assert cfg.work_dir == '/tmp/x'


def test_resume_options():
    cfg = apply_train_options(_cfg(), TOY_CFG, resume='auto')
    assert cfg.resume is True and cfg.load_from is None
    cfg = apply_train_options(_cfg(), TOY_CFG, resume='a/epoch_3.pth')
    assert cfg.resume is True and cfg.load_from == 'a/epoch_3.pth'
    cfg = apply_train_options(
        _cfg(), TOY_CFG, cfg_options={'train_cfg.max_epochs': 7})
    assert cfg.train_cfg.max_epochs == 7 and cfg.resume is False


def test_amp_picks_bf16_where_supported(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = apply_train_options(_cfg(), TOY_CFG, amp=True)  # SAM, CPU
    assert cfg.optim_wrapper.type == 'laanet.DeviceAmpOptimWrapper'
    assert cfg.optim_wrapper.dtype == 'bfloat16'
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda: False)
    cfg = apply_train_options(_cfg(), TOY_CFG, amp=True)
    assert cfg.optim_wrapper.dtype == 'float16'
    assert cfg.optim_wrapper.loss_scale == 'dynamic'
    cfg = _cfg()
    cfg.optim_wrapper.dtype = 'bfloat16'  # the config's choice is kept
    assert apply_train_options(
        cfg, TOY_CFG, amp=True).optim_wrapper.dtype == 'bfloat16'


def test_amp_and_compile_train_on_cpu(tmp_path, monkeypatch):
    """--amp (float16 with loss scaling, SAM) and --compile build and
    train a runner on a CPU; compile reaches the model's parts, not
    MMEngine's train_step."""
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = apply_train_options(
        Config(toy_runner_cfg(str(tmp_path), max_epochs=1)),
        TOY_CFG,
        amp=True,
        compile=True)
    cfg.optim_wrapper.dtype = 'float16'
    cfg.compile = dict(backend='eager')  # the plumbing, not inductor
    runner = build_runner(cfg)
    assert cfg.compile == dict(backend='eager')
    assert 'compile' not in runner.cfg
    model = runner.model
    assert model.backbone._compiled_call_impl is not None
    assert model.data_preprocessor._compiled_call_impl is None
    runner.train()
    assert isinstance(runner.optim_wrapper, DeviceAmpOptimWrapper)
    assert runner.optim_wrapper.loss_scaler.is_enabled()
    assert runner.iter > 0


def test_cpu_distributed_wrapper_config(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(torch.distributed, 'is_initialized', lambda: True)
    cfg = _cfg()
    cfg.model_wrapper_cfg = None
    prepare_cpu_distributed(cfg, 'pytorch')
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'
    assert cfg.model_wrapper_cfg.type == 'laanet.SAMDistributedDataParallel'
    cfg = _cfg()
    cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel')
    prepare_cpu_distributed(cfg, 'pytorch')
    assert cfg.model_wrapper_cfg.type == 'laanet.SAMDistributedDataParallel'
    cfg.model_wrapper_cfg = dict(type='MMFullyShardedDataParallel')
    with pytest.raises(ValueError, match='CPU'):
        prepare_cpu_distributed(cfg, 'pytorch')
    # Nothing changes without a launcher.
    cfg = _cfg()
    assert prepare_cpu_distributed(cfg, 'none') is False
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'


def test_test_options():
    cfg = apply_test_options(
        _cfg(), TOY_CFG, 'ckpt.pth', out='s.csv', show_dir='vis', tta=True)
    assert cfg.load_from == 'ckpt.pth' and cfg.resume is False
    assert cfg.test_evaluator.scores_file == 's.csv'
    assert cfg.default_hooks.visualization.enable is True
    assert cfg.default_hooks.visualization.out_dir == 'vis'
    assert cfg.model.test_cfg.flip_test is True
    cfg = apply_test_options(_cfg(), TOY_CFG, 'ckpt.pth', tta=False)
    assert cfg.model.test_cfg.flip_test is False
    assert cfg.default_hooks.visualization.enable is False
    cfg = _cfg()
    cfg.test_evaluator = dict(type='Accuracy')
    with pytest.raises(ValueError, match='DeepfakeMetric'):
        apply_test_options(cfg, TOY_CFG, 'ckpt.pth', out='s.json')
    cfg = _cfg()
    cfg.default_hooks.pop('visualization')
    with pytest.raises(ValueError, match='visualization'):
        apply_test_options(cfg, TOY_CFG, 'ckpt.pth', show_dir='vis')


def test_amp_test_option_is_the_test_loop_fp16():
    cfg = apply_test_options(_cfg(), TOY_CFG, 'ckpt.pth', amp=True)
    assert cfg.test_cfg.fp16 is True
    cfg = apply_test_options(_cfg(), TOY_CFG, 'ckpt.pth')
    assert 'fp16' not in (cfg.get('test_cfg') or {})


def test_metric_protocol_options():
    cfg = _cfg()
    cfg.test_evaluator = dict(type='DeepfakeMetric', video_score='logit_mean')
    apply_test_options(cfg, TOY_CFG, 'ckpt.pth',
                       metric_protocol='deepfakebench',
                       video_grouping='full_id')
    assert cfg.test_evaluator == dict(type='DeepfakeMetric',
                                      protocol='deepfakebench',
                                      video_grouping='full_id')
    # a config's metric under the new protocol builds
    from laanet.registry import METRICS
    from laanet.utils import register_all_modules
    register_all_modules()
    metric = METRICS.build(cfg.test_evaluator)
    assert metric.protocol == 'deepfakebench'
    assert metric.video_score == 'prob_mean'
    cfg = apply_test_options(_cfg(), TOY_CFG, 'ckpt.pth',
                             metric_protocol='official')
    assert cfg.test_evaluator.protocol == 'official'
    cfg = _cfg()
    cfg.test_evaluator = dict(type='Accuracy')
    with pytest.raises(ValueError, match='--metric-protocol needs a '
                       'DeepfakeMetric'):
        apply_test_options(cfg, TOY_CFG, 'ckpt.pth',
                           metric_protocol='deepfakebench')
