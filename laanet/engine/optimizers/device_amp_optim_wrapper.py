# Copyright (c) laanet contributors. All rights reserved.
"""Mixed precision on the device the parameters are on (CUDA or CPU)."""
from contextlib import contextmanager, nullcontext
from typing import Optional, Union

import torch
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from torch import nn

from laanet.registry import OPTIM_WRAPPERS


def default_amp_dtype(device_type: str) -> torch.dtype:
    """The autocast dtype ``--amp`` picks: bfloat16 where it is supported
    (CPUs; CUDA GPUs with bfloat16, i.e. Ampere and later), else float16.

    Args:
        device_type (str): ``'cuda'`` or ``'cpu'``.

    Returns:
        torch.dtype: ``torch.bfloat16`` or ``torch.float16``.
    """
    if device_type == 'cuda' and not torch.cuda.is_bf16_supported():
        return torch.float16
    return torch.bfloat16


def amp_autocast(device: Union[str, torch.device], enabled: bool = True):
    """The autocast context of ``--amp`` inference on ``device``.

    :func:`torch.autocast` with :func:`default_amp_dtype` (bfloat16 on a
    CPU, where AMX or AVX512-BF16 make the matrix products several times
    faster; bfloat16 or float16 on CUDA), or a no-op context when not
    ``enabled``.

    Args:
        device (str | torch.device): ``'cpu'``, ``'cuda'``, ``'cuda:1'``...
        enabled (bool): Autocast at all. Defaults to True.

    Returns:
        contextlib.AbstractContextManager: The context.
    """
    if not enabled:
        return nullcontext()
    device_type = torch.device(device).type
    return torch.autocast(device_type, dtype=default_amp_dtype(device_type))


@OPTIM_WRAPPERS.register_module()
class DeviceAmpOptimWrapper(AmpOptimWrapper):
    """MMEngine's ``AmpOptimWrapper`` on CUDA *and* CPU.

    MMEngine's wrapper refuses to be built without a GPU and its autocast
    accepts only bfloat16 on CPU. This one autocasts on the device of the
    parameters, in either dtype, so mixed precision can be used (opt-in)
    and tested on a CPU. The loss scaler (``torch.amp.GradScaler``) is
    enabled for float16 only: bfloat16 has float32's exponent range and
    needs none. With a :class:`SAM` optimizer,
    :func:`~laanet.engine.sam_train_step` drives the scaler through both
    passes (unscaled gradients for the ascent step, one scaler update per
    iteration, a skipped iteration skips both SAM steps).

    Args:
        dtype (str | torch.dtype, optional): ``'bfloat16'`` or
            ``'float16'``; None picks :func:`default_amp_dtype`. Defaults
            to None.
        loss_scale (str | float | dict): float16 only: ``'dynamic'``, a
            fixed scale, or ``GradScaler`` keyword arguments. Defaults to
            ``'dynamic'``.
        **kwargs: ``optimizer``, ``clip_grad``... of ``OptimWrapper``
            (no gradient accumulation with SAM).
    """

    def __init__(self,
                 dtype: Optional[Union[str, torch.dtype]] = None,
                 loss_scale: Union[str, float, dict] = 'dynamic',
                 **kwargs) -> None:
        # Not AmpOptimWrapper.__init__: it asserts a GPU.
        OptimWrapper.__init__(self, **kwargs)
        params = [
            p for group in self.optimizer.param_groups
            for p in group['params']
        ]
        self.device_type = params[0].device.type if params else 'cpu'
        if isinstance(dtype, str):
            if dtype not in ('bfloat16', 'float16'):
                raise ValueError('dtype must be bfloat16 or float16, got '
                                 f'{dtype!r}')
            dtype = getattr(torch, dtype)
        self.cast_dtype = dtype or default_amp_dtype(self.device_type)
        enabled = self.cast_dtype == torch.float16
        self._scale_update_param = None
        if loss_scale == 'dynamic':
            scaler_kwargs = {}
        elif isinstance(loss_scale, float):
            self._scale_update_param = loss_scale
            scaler_kwargs = dict(init_scale=loss_scale)
        elif isinstance(loss_scale, dict):
            scaler_kwargs = dict(loss_scale)
        else:
            raise TypeError('loss_scale must be "dynamic", a float or a '
                            f'dict, but got {loss_scale!r}')
        self.loss_scaler = torch.amp.GradScaler(
            self.device_type, enabled=enabled, **scaler_kwargs)

    @contextmanager
    def optim_context(self, model: nn.Module):
        """Autocast to ``cast_dtype`` on the parameters' device (and
        ``no_sync`` while accumulating, as ``OptimWrapper``).

        Args:
            model (nn.Module): The training model.
        """
        with OptimWrapper.optim_context(self, model), torch.autocast(
                self.device_type, dtype=self.cast_dtype):
            yield

    def load_state_dict(self, state_dict: dict) -> None:
        """Load the optimizer's and, when it has one, the scaler's state
        (a bfloat16 run saves an empty scaler state).

        Args:
            state_dict (dict): Written by :meth:`state_dict`.
        """
        state_dict = dict(state_dict)
        scaler_state = state_dict.pop('loss_scaler', None)
        if scaler_state:
            self.loss_scaler.load_state_dict(scaler_state)
        OptimWrapper.load_state_dict(self, state_dict)
