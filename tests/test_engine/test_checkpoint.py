# Copyright (c) laanet contributors. All rights reserved.
import builtins
import pickle

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import HistoryBuffer
from mmengine.runner import Runner

from laanet.engine import enable_mmengine_checkpoints, load_trusted_checkpoint
from laanet.testing import toy_runner_cfg


class Payload:
    """A class a third-party file might smuggle in."""


def _runner(work_dir, **kwargs):
    enable_mmengine_checkpoints()  # as build_runner does
    return Runner.from_cfg(Config(toy_runner_cfg(str(work_dir), **kwargs)))


def test_save_then_resume_and_load_from(tmp_path):
    runner = _runner(tmp_path, max_epochs=1)
    runner.train()
    ckpt_path = tmp_path / 'epoch_1.pth'
    # The default torch.load (weights_only=True) reads it.
    ckpt = torch.load(ckpt_path)
    assert isinstance(ckpt['message_hub']['log_scalars']['train/loss'],
                      HistoryBuffer)
    moments = ckpt['optimizer']['state'][0]['exp_avg']
    assert moments.abs().sum() > 0

    resumed = _runner(tmp_path, max_epochs=2, resume=True)
    resumed.load_or_resume()
    assert resumed.epoch == 1
    state = resumed.optim_wrapper.optimizer.base_optimizer.state_dict()
    torch.testing.assert_close(state['state'][0]['exp_avg'], moments)
    assert resumed.param_schedulers[0].last_step == \
        runner.param_schedulers[0].last_step
    for p, q in zip(resumed.model.parameters(), runner.model.parameters()):
        torch.testing.assert_close(p, q)

    loaded = _runner(
        tmp_path / 'other', max_epochs=1, load_from=str(ckpt_path))
    loaded.load_or_resume()
    assert loaded.epoch == 0
    for p, q in zip(loaded.model.parameters(), runner.model.parameters()):
        torch.testing.assert_close(p, q)


def test_third_party_files_still_weights_only(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save(dict(state_dict={}, extra=Payload()), path)
    with pytest.raises(pickle.UnpicklingError):
        torch.load(path)
    assert builtins.getattr not in torch.serialization.get_safe_globals()
    assert isinstance(load_trusted_checkpoint(str(path))['extra'], Payload)


def test_history_buffer_pickles_without_functions():
    buf = HistoryBuffer()
    buf.update(1.0)
    assert 'statistics_methods' not in buf.__getstate__()
    restored = pickle.loads(pickle.dumps(buf))
    assert restored.mean() == 1.0
