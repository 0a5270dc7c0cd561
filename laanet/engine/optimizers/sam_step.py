# Copyright (c) laanet contributors. All rights reserved.
"""The two-pass SAM training step shared by the detector and the DDP
wrapper."""
from contextlib import contextmanager, nullcontext
from typing import Dict, Iterator, Union

import torch
from mmengine.model import is_model_wrapper
from mmengine.optim import AmpOptimWrapper, OptimWrapper
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
        ValueError: For fp16 mixed precision with loss scaling (known SAM
            implementations do not handle the GradScaler: use bfloat16) or
            gradient accumulation.
    """
    if isinstance(optim_wrapper, AmpOptimWrapper):
        dtype = optim_wrapper.cast_dtype
        if dtype is not torch.bfloat16:
            raise ValueError(
                'SAM does not support fp16 mixed precision with loss '
                f'scaling (AmpOptimWrapper dtype={dtype}): the two SAM steps '
                'cannot go through the GradScaler. Use bfloat16 autocast, '
                "i.e. `optim_wrapper = dict(type='AmpOptimWrapper', "
                "dtype='bfloat16', ...)` (what `tools/train.py --amp` sets "
                'for SAM), or train in fp32.')
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
    bfloat16 autocast when the wrapper is an ``AmpOptimWrapper`` with
    ``dtype='bfloat16'``; no loss scaling is applied (bfloat16 does not
    need it).

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
        parsed_loss.backward()
    optim_wrapper._inner_count += 1
    sam.first_step(zero_grad=True)

    # Pass 2 at w + e(w).
    bn_ctx = (
        frozen_bn_stats(module)
        if sam.bn_second_pass == 'freeze' else nullcontext())
    with bn_ctx, optim_wrapper.optim_context(model):
        losses = _forward_loss(model, data)
    parsed_loss, _ = module.parse_losses(losses)
    parsed_loss.backward()
    if optim_wrapper.clip_grad_kwargs:
        optim_wrapper._clip_grad()
    sam.second_step(zero_grad=True)
    # MMEngine's schedulers count ``optim_wrapper.step`` calls to check the
    # order of optimizer and scheduler steps; this was one.
    if getattr(optim_wrapper.step, '_with_counter', False):
        optim_wrapper._global_step += 1
    return log_vars
