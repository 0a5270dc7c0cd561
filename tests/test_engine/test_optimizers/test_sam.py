# Copyright (c) laanet contributors. All rights reserved.
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper, build_optim_wrapper
from mmengine.optim.scheduler import LinearLR
from torch import nn

from laanet.engine import SAM
from laanet.utils import register_all_modules


def _linear(seed=0):
    torch.manual_seed(seed)
    return nn.Linear(3, 2)


def _batch(seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(8, 3, generator=g), torch.randn(8, 2, generator=g)


def _loss(model, x, y):
    return ((model(x) - y)**2).mean()


def _sam_step(model, opt, x, y):
    _loss(model, x, y).backward()
    opt.step(lambda: _loss(model, x, y).backward())
    opt.zero_grad()


def test_rho_zero_follows_adam_step_for_step():
    m_sam, m_adam = _linear(), _linear()
    sam = SAM(m_sam.parameters(), 'Adam', rho=0.0, lr=1e-2, weight_decay=1e-4)
    adam = torch.optim.Adam(m_adam.parameters(), lr=1e-2, weight_decay=1e-4)
    for step in range(6):
        x, y = _batch(step)
        _sam_step(m_sam, sam, x, y)
        _loss(m_adam, x, y).backward()
        adam.step()
        adam.zero_grad()
        for p, q in zip(m_sam.parameters(), m_adam.parameters()):
            torch.testing.assert_close(p, q, rtol=0, atol=0)


def test_first_step_moves_rho_along_normalised_gradient():
    model = _linear()
    w0 = [p.detach().clone() for p in model.parameters()]
    sam = SAM(model.parameters(), 'SGD', rho=0.5, lr=0.1)
    x, y = _batch(0)
    _loss(model, x, y).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    norm = torch.cat([g.flatten() for g in grads]).norm()
    sam.first_step()
    shift = torch.cat([(p - w).flatten()
                       for p, w in zip(model.parameters(), w0)])
    torch.testing.assert_close(shift.norm(), torch.tensor(0.5))
    for p, w, g in zip(model.parameters(), w0, grads):
        torch.testing.assert_close(p, w + 0.5 * g / norm)
    # The second step restores w exactly and applies SGD with the gradient
    # computed at the perturbed point.
    sam.zero_grad()
    _loss(model, x, y).backward()
    g_adv = [p.grad.clone() for p in model.parameters()]
    sam.second_step()
    for p, w, g in zip(model.parameters(), w0, g_adv):
        torch.testing.assert_close(p, w - 0.1 * g)


def test_adaptive_scales_by_weight():
    model = _linear()
    w0 = [p.detach().clone() for p in model.parameters()]
    sam = SAM(model.parameters(), 'SGD', rho=0.1, adaptive=True, lr=0.1)
    x, y = _batch(1)
    _loss(model, x, y).backward()
    grads = [p.grad.clone() for p in model.parameters()]
    norm = torch.cat([(w.abs() * g).flatten()
                      for w, g in zip(w0, grads)]).norm()
    sam.first_step()
    for p, w, g in zip(model.parameters(), w0, grads):
        torch.testing.assert_close(p, w + 0.1 * w * w * g / norm)


def test_state_dict_carries_adam_moments_and_resume_is_exact():
    model = _linear()
    sam = SAM(model.parameters(), 'Adam', rho=0.05, lr=1e-2)
    for step in range(3):
        _sam_step(model, sam, *_batch(step))
    state = copy.deepcopy(sam.state_dict())
    assert set(state['state'][0]) >= {'exp_avg', 'exp_avg_sq', 'step'}
    assert state['param_groups'][0]['rho'] == 0.05

    resumed = copy.deepcopy(model)
    sam2 = SAM(resumed.parameters(), 'Adam', rho=0.05, lr=1e-2)
    sam2.load_state_dict(state)
    torch.testing.assert_close(sam2.base_optimizer.state_dict()['state'],
                               state['state'])
    for step in range(3, 6):
        _sam_step(model, sam, *_batch(step))
        _sam_step(resumed, sam2, *_batch(step))
    for p, q in zip(model.parameters(), resumed.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=0)


def test_param_groups_shared_with_schedulers_and_after_load():
    model = _linear()
    sam = SAM(model.parameters(), 'Adam', lr=1e-2)
    assert sam.param_groups is sam.base_optimizer.param_groups
    wrapper = OptimWrapper(sam)
    scheduler = LinearLR(wrapper, start_factor=0.5, by_epoch=False, end=3)
    assert sam.base_optimizer.param_groups[0]['lr'] == pytest.approx(5e-3)
    sam.load_state_dict(copy.deepcopy(sam.state_dict()))
    assert sam.param_groups is sam.base_optimizer.param_groups
    scheduler.step()
    assert sam.base_optimizer.param_groups[0]['lr'] == pytest.approx(7.5e-3)


def test_loads_plain_adam_state():
    model = _linear()
    adam = torch.optim.Adam(model.parameters(), lr=1e-3)
    _loss(model, *_batch(0)).backward()
    adam.step()
    sam = SAM(model.parameters(), 'Adam', rho=0.1, lr=1e-3)
    sam.load_state_dict(adam.state_dict())
    assert sam.param_groups[0]['rho'] == 0.1
    assert 'exp_avg' in sam.base_optimizer.state[model.weight]


def test_errors():
    model = _linear()
    params = list(model.parameters())
    with pytest.raises(ValueError, match='rho'):
        SAM(params, rho=-1)
    with pytest.raises(ValueError, match='bn_second_pass'):
        SAM(params, bn_second_pass='maybe')
    with pytest.raises(KeyError, match='NoSuchOpt'):
        SAM(params, base_optimizer='NoSuchOpt')
    with pytest.raises(TypeError, match='SAM cannot wrap'):
        SAM(params, base_optimizer=SAM)
    sam = SAM(params, lr=1e-3)
    with pytest.raises(RuntimeError, match='sam_train_step'):
        sam.step()
    _loss(model, *_batch(0)).backward()
    sam.first_step()
    with pytest.raises(RuntimeError, match='twice'):
        sam.first_step()


def test_built_from_config_with_top_level_lr():
    register_all_modules()
    model = _linear()
    wrapper = build_optim_wrapper(
        model,
        dict(
            optimizer=dict(
                type='SAM',
                base_optimizer='Adam',
                lr=2e-4,
                weight_decay=1e-4,
                rho=0.05)))
    assert isinstance(wrapper.optimizer, SAM)
    assert isinstance(wrapper.optimizer.base_optimizer, torch.optim.Adam)
    assert wrapper.get_lr()['lr'] == [2e-4]
    group = wrapper.optimizer.base_optimizer.param_groups[0]
    assert group['weight_decay'] == 1e-4 and group['rho'] == 0.05
