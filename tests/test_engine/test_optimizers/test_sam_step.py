# Copyright (c) laanet contributors. All rights reserved.
import copy

import pytest
import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from mmengine.optim.optimizer import amp_optimizer_wrapper

from laanet.engine import (SAM, DeviceAmpOptimWrapper, default_amp_dtype,
                           frozen_bn_stats, is_sam_optim_wrapper,
                           sam_train_step)
from laanet.testing import ToyDeepfakeDataset, ToyDeepfakeModel


def _batch(n=6, seed=0):
    dataset = ToyDeepfakeDataset(num_videos=2, frames_per_video=3, seed=seed)
    items = [dataset[i] for i in range(n)]
    return dict(
        inputs=[i['inputs'] for i in items],
        data_samples=[i['data_samples'] for i in items])


def _model():
    torch.manual_seed(0)
    return ToyDeepfakeModel()


def _wrapper(model, **kwargs):
    return OptimWrapper(SAM(model.parameters(), 'Adam', lr=1e-2, **kwargs))


def test_is_sam_optim_wrapper():
    model = _model()
    assert is_sam_optim_wrapper(_wrapper(model))
    assert not is_sam_optim_wrapper(
        OptimWrapper(torch.optim.Adam(model.parameters())))
    assert not is_sam_optim_wrapper(None)


def test_model_train_step_runs_two_passes_and_returns_first_loss():
    model = _model()
    data = _batch()
    with torch.no_grad():
        processed = model.data_preprocessor(copy.deepcopy(data), True)
        expected = sum(model(**processed, mode='loss').values())
    model.train()
    calls = []
    model.register_forward_hook(lambda *args: calls.append(1))
    w0 = model.cls.weight.detach().clone()
    log_vars = model.train_step(data, _wrapper(model))
    assert len(calls) == 2
    torch.testing.assert_close(log_vars['loss'], expected)
    assert not torch.equal(model.cls.weight, w0)
    assert all(p.grad is None for p in model.parameters())


@pytest.mark.parametrize('mode,batches', [('update', 2), ('freeze', 1)])
def test_bn_second_pass(mode, batches):
    model = _model()
    model.train()
    bn = model.backbone[1]
    data = _batch()
    # Reference: the running mean after `batches` forward passes at the
    # same weights (rho=0 keeps the second pass at the same weights).
    ref = copy.deepcopy(model)
    processed = ref.data_preprocessor(copy.deepcopy(data), True)
    with torch.no_grad():
        for _ in range(batches):
            ref(**processed, mode='loss')
    model.train_step(data, _wrapper(model, rho=0.0, bn_second_pass=mode))
    assert int(bn.num_batches_tracked) == batches
    torch.testing.assert_close(bn.running_mean, ref.backbone[1].running_mean)
    assert bn.momentum == 0.1


def test_frozen_bn_stats_restores_momentum_on_error():
    model = _model()
    with pytest.raises(ZeroDivisionError):
        with frozen_bn_stats(model):
            assert model.backbone[1].momentum == 0.0
            1 / 0
    assert model.backbone[1].momentum == 0.1


@pytest.fixture
def fake_cuda(monkeypatch):
    """Let AmpOptimWrapper be built on a CPU-only machine."""
    monkeypatch.setattr(amp_optimizer_wrapper, 'is_cuda_available',
                        lambda: True)


def _amp_wrapper(model, init_scale=2.**10, dtype='float16'):
    sam = SAM(model.parameters(), 'Adam', lr=1e-2)
    return DeviceAmpOptimWrapper(
        optimizer=sam, dtype=dtype, loss_scale=dict(init_scale=init_scale))


def _spy_first_step_norm(wrapper):
    """Record the gradient norm SAM's ascent step uses."""
    sam = wrapper.optimizer
    norms, first_step = [], sam.first_step

    def spy(zero_grad=False, grad_norm=None):
        norms.append(float(grad_norm))
        return first_step(zero_grad=zero_grad, grad_norm=grad_norm)

    sam.first_step = spy
    return norms


def test_fp16_loss_scaling_with_sam_equals_unscaled_step():
    """float16 autocast on CPU: scaling by a power of two then unscaling
    is exact (once the scale is large enough for no gradient to
    underflow), so the steps at scales 2**10 and 2**14 are equal, and the
    ascent step sees the same, unscaled, gradient norm; the scaler is
    updated once."""
    results = []
    for init_scale in (2.**10, 2.**14):
        model = _model()
        model.train()
        wrapper = _amp_wrapper(model, init_scale)
        norms = _spy_first_step_norm(wrapper)
        seen = []
        model.cls.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
        log_vars = model.train_step(_batch(), wrapper)
        assert seen == [torch.float16, torch.float16]
        assert torch.isfinite(log_vars['loss'])
        state = wrapper.loss_scaler.state_dict()
        assert state['scale'] == init_scale
        assert state['_growth_tracker'] == 1  # one update
        assert all(p.grad is None for p in model.parameters())
        results.append(
            (norms, [p.detach().clone() for p in model.parameters()]))
    (norms1, params1), (norms2, params2) = results
    assert norms1 == pytest.approx(norms2, rel=1e-6)
    for a, b in zip(params1, params2):
        torch.testing.assert_close(b, a, atol=1e-6, rtol=1e-6)


@pytest.mark.parametrize('bad_pass', [1, 2])
def test_fp16_overflow_skips_both_sam_steps(bad_pass):
    """An inf gradient in either pass leaves the weights and Adam's state
    unchanged and halves the scale once."""
    model = _model()
    model.train()
    wrapper = _amp_wrapper(model)
    before = [p.detach().clone() for p in model.parameters()]
    passes, inject_at = [], [bad_pass]
    model.register_forward_hook(lambda *args: passes.append(1))

    def inject(grad):
        if len(passes) == inject_at[0]:
            return grad * float('inf')
        return grad

    model.cls.weight.register_hook(inject)
    model.train_step(_batch(), wrapper)
    assert len(passes) == bad_pass  # no second pass after a bad first
    for a, b in zip(before, model.parameters()):
        assert torch.equal(a, b)
    sam = wrapper.optimizer
    assert not sam.base_optimizer.state and not sam._old_params
    assert wrapper.loss_scaler.get_scale() == 2.**9
    assert all(p.grad is None for p in model.parameters())
    # the next iteration trains normally at the lowered scale
    passes.clear()
    inject_at[0] = 0
    model.train_step(_batch(), wrapper)
    assert len(passes) == 2 and sam.base_optimizer.state
    assert not all(
        torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_device_amp_wrapper_dtypes_on_cpu():
    model = _model()
    auto = DeviceAmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1))
    assert auto.cast_dtype == default_amp_dtype('cpu') == torch.bfloat16
    assert auto.device_type == 'cpu'
    assert not auto.loss_scaler.is_enabled()  # bfloat16 needs none
    fp16 = DeviceAmpOptimWrapper(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        dtype='float16')
    assert fp16.loss_scaler.is_enabled()
    # plain (non-SAM) training through update_params
    w0 = model.cls.weight.detach().clone()
    model.train_step(_batch(), fp16)
    assert not torch.equal(model.cls.weight, w0)
    # resume: a bfloat16 checkpoint (empty scaler state) loads into both
    fp16.load_state_dict(auto.state_dict())
    auto.load_state_dict(fp16.state_dict())
    with pytest.raises(ValueError, match='bfloat16 or float16'):
        DeviceAmpOptimWrapper(
            optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
            dtype='float64')


def test_bf16_autocast_trains(fake_cuda):
    model = _model()
    sam = SAM(model.parameters(), lr=1e-2)
    wrapper = AmpOptimWrapper(optimizer=sam, dtype='bfloat16')
    seen = []
    model.cls.register_forward_hook(lambda m, i, o: seen.append(o.dtype))
    w0 = model.cls.weight.detach().clone()
    log_vars = model.train_step(_batch(), wrapper)
    assert torch.isfinite(log_vars['loss'])
    assert seen == [torch.bfloat16, torch.bfloat16]
    assert model.cls.weight.dtype == torch.float32
    assert not torch.equal(model.cls.weight, w0)


def test_accumulation_is_refused():
    model = _model()
    wrapper = OptimWrapper(
        SAM(model.parameters(), lr=1e-3), accumulative_counts=2)
    with pytest.raises(ValueError, match='accumulation'):
        model.train_step(_batch(), wrapper)


def test_needs_sam_optimizer():
    model = _model()
    with pytest.raises(TypeError, match='SAM'):
        sam_train_step(model, _batch(),
                       OptimWrapper(torch.optim.Adam(model.parameters())))


def test_plain_optimizer_uses_default_step():
    model = _model()
    wrapper = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    calls = []
    model.register_forward_hook(lambda *args: calls.append(1))
    model.train_step(_batch(), wrapper)
    assert len(calls) == 1


def test_rho_zero_train_step_follows_adam_step_for_step():
    sam_model, adam_model = _model(), _model()
    sam_wrapper = _wrapper(sam_model, rho=0.0)
    adam_wrapper = OptimWrapper(
        torch.optim.Adam(adam_model.parameters(), lr=1e-2))
    for step in range(4):
        data = _batch(seed=step)
        sam_model.train_step(copy.deepcopy(data), sam_wrapper)
        adam_model.train_step(copy.deepcopy(data), adam_wrapper)
        for p, q in zip(sam_model.parameters(), adam_model.parameters()):
            torch.testing.assert_close(p, q, rtol=0, atol=0)
