# Copyright (c) laanet contributors. All rights reserved.
"""The two-pass SAM training step shared by the detector and the DDP
wrapper."""
from contextlib import contextmanager, nullcontext
from typing import Dict, Iterator, Union

import torch
import torch.distributed as dist
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from .sam import SAM


def is_sam_optim_wrapper(optim_wrapper) -> bool:
    """Whether ``optim_wrapper`` wraps a :class:`SAM` optimizer.

    Args:
        optim_wrapper: The optimizer wrapper passed to ``train_step``.

    Returns:
        bool: True if ``optim_wrapper.optimizer`` is a ``SAM``.
    """
    return isinstance(getattr(optim_wrapper, 'optimizer', None), SAM)


def check_sam_optim_wrapper(optim_wrapper: OptimWrapper) -> None:
    """Refuse optimizer-wrapper settings SAM cannot honour.

    Args:
        optim_wrapper (OptimWrapper): The wrapper around a ``SAM``.

    Raises:
        ValueError: For gradient accumulation.
    """
    accumulative_counts = getattr(optim_wrapper, '_accumulative_counts', 1)
    if accumulative_counts != 1:
        raise ValueError(
            'SAM does not support gradient accumulation '
            f'(accumulative_counts={accumulative_counts}): each SAM step '
            'needs the gradient of the whole batch. Raise the batch size '
            'instead.')


@contextmanager
def frozen_bn_stats(model: nn.Module) -> Iterator[None]:
    """Keep BatchNorm running statistics unchanged inside the context.

    The layers still normalise with the batch statistics in train mode;
    only ``running_mean``, ``running_var`` and ``num_batches_tracked`` are
    left as they were.

    Args:
        model (nn.Module): The model whose BatchNorm layers are frozen.
    """
    saved = []
    for m in model.modules():
        if isinstance(m, _BatchNorm) and m.track_running_stats:
            saved.append((m, m.momentum, m.num_batches_tracked.clone()))
            m.momentum = 0.0
    try:
        yield
    finally:
        for m, momentum, num_batches in saved:
            m.momentum = momentum
            m.num_batches_tracked.copy_(num_batches)


def _forward_loss(model: nn.Module, data: Union[dict, tuple, list]):
    """Run ``model(**data, mode='loss')`` (through DDP for a wrapper)."""
    if isinstance(data, dict):
        return model(**data, mode='loss')
    if isinstance(data, (list, tuple)):
        return model(*data, mode='loss')
    raise TypeError('The output of `data_preprocessor` must be a dict, '
                    f'tuple or list, but got {type(data)}.')


def _any_rank(flag: bool, device: torch.device) -> bool:
    """Whether ``flag`` is True on any rank (``flag`` without DDP)."""
    if not (dist.is_available() and dist.is_initialized()):
        return flag
    t = torch.tensor([float(flag)], device=device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item())


def sam_train_step(model: nn.Module,
                   data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper,
                   sync_first_pass: bool = True) -> Dict[str, torch.Tensor]:
    """One SAM training step: two forward/backward passes, two updates.

    1. Preprocess ``data``, forward with ``mode='loss'`` at ``w``, parse
       the losses and back-propagate.
    2. ``first_step``: move to ``w + e(w)``.
    3. Forward and back-propagate at ``w + e(w)`` (BatchNorm running
       statistics are updated or kept, following the optimizer's
       ``bn_second_pass``).
    4. ``second_step``: restore ``w`` and take the base optimizer's step.

    Every forward goes through ``model`` itself, so under DDP the
    gradients are all-reduced. ``optim_wrapper.optim_context`` provides
    autocast for an AMP wrapper. With a loss scaler (float16,
    :class:`DeviceAmpOptimWrapper` or MMEngine's ``AmpOptimWrapper``)
    both backward passes are scaled and the gradients unscaled before they
    are used: before the ascent step's gradient norm and before the
    clipping and base step. A non-finite first-pass gradient skips the
    iteration (no second pass, the weights stay at ``w``); a non-finite
    second-pass gradient restores ``w`` and skips the base step. Either
    way the scaler is updated once per iteration (and lowers its scale
    after a skip).

    Args:
        model (nn.Module): The bare model, or the DDP wrapper around it.
        data (dict | tuple | list): A batch from the dataloader.
        optim_wrapper (OptimWrapper): A wrapper whose ``optimizer`` is a
            :class:`SAM`.
        sync_first_pass (bool): Under DDP, all-reduce the first-pass
            gradient, so that the ascent direction is the one of the whole
            global batch (what one GPU with the same total batch computes).
            False computes it per rank (``no_sync``, one all-reduce less;
            the weights stay identical across ranks after the step either
            way). Ignored without DDP. Defaults to True.

    Returns:
        dict: The first pass's ``log_vars`` (losses at ``w``).
    """
    if not is_sam_optim_wrapper(optim_wrapper):
        raise TypeError(
            '`sam_train_step` needs an optimizer wrapper around '
            f'a SAM optimizer, but got {type(optim_wrapper)} '
            f'with {type(getattr(optim_wrapper, "optimizer", None))}.')
    check_sam_optim_wrapper(optim_wrapper)
    module = model.module if is_model_wrapper(model) else model
    sam: SAM = optim_wrapper.optimizer
    scaler = getattr(optim_wrapper, 'loss_scaler', None)
    scaling = scaler is not None and scaler.is_enabled()
    scale_update = getattr(optim_wrapper, '_scale_update_param', None)
    sam.zero_grad()

    # Pass 1 at w.
    first_ctx = nullcontext()
    if not sync_first_pass and hasattr(model, 'no_sync'):
        first_ctx = model.no_sync()
    with first_ctx:
        with optim_wrapper.optim_context(model):
            data = module.data_preprocessor(data, training=True)
            losses = _forward_loss(model, data)
        parsed_loss, log_vars = module.parse_losses(losses)
        (scaler.scale(parsed_loss) if scaling else parsed_loss).backward()
    optim_wrapper._inner_count += 1
    # MMEngine's schedulers count ``optim_wrapper.step`` calls to check the
    # order of optimizer and scheduler steps; this is one, taken or not.
    if getattr(optim_wrapper.step, '_with_counter', False):
        optim_wrapper._global_step += 1
    if scaling:
        scaler.unscale_(sam)  # the ascent step needs the true gradient
    grad_norm = sam.grad_norm()
    if scaling and _any_rank(not bool(torch.isfinite(grad_norm)),
                             grad_norm.device):
        # fp16 overflow: skip both SAM steps, lower the scale.
        sam.zero_grad()
        scaler.update(scale_update)
        return log_vars
    sam.first_step(zero_grad=True, grad_norm=grad_norm)

    # Pass 2 at w + e(w).
    bn_ctx = (
        frozen_bn_stats(module)
        if sam.bn_second_pass == 'freeze' else nullcontext())
    with bn_ctx, optim_wrapper.optim_context(model):
        losses = _forward_loss(model, data)
    parsed_loss, _ = module.parse_losses(losses)
    (scaler.scale(parsed_loss) if scaling else parsed_loss).backward()
    if scaling:
        # The base optimizer shares SAM's parameters; the scaler keeps
        # one unscale record per optimizer, so this is the second pass's.
        scaler.unscale_(sam.base_optimizer)
    if optim_wrapper.clip_grad_kwargs:
        optim_wrapper._clip_grad()
    if scaling:
        sam.restore_weights()
        # skips the base step if the second pass overflowed
        scaler.step(sam.base_optimizer)
        scaler.update(scale_update)
        sam.zero_grad()
    else:
        sam.second_step(zero_grad=True)
    return log_vars
