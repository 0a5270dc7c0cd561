# Copyright (c) laanet contributors. All rights reserved.
"""Train the decoder and heads first, the backbone from a later epoch."""
from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapperDict
from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm
from torch.nn.parallel import DistributedDataParallel

from laanet.registry import HOOKS


@HOOKS.register_module()
class FreezeBackboneHook(Hook):
    """Freeze a sub-module (the backbone) until ``unfreeze_epoch``.

    The official recipe trains only the decoder and heads in epochs 0–5
    (``requires_grad=False`` on every backbone parameter, BatchNorm affine
    parameters included, while the BatchNorm running statistics keep
    updating) and everything from epoch 6 on.

    The parameters are frozen in ``before_train``, which runs after the
    DDP wrap and after the optimizer is built, so the optimizer holds the
    backbone parameters and DDP keeps syncing them once they are unfrozen
    (parameters frozen before the wrap would silently never be synced).
    Under DDP the wrapper needs ``find_unused_parameters=True``; the hook
    refuses to run otherwise. When a run is resumed at or after
    ``unfreeze_epoch``, nothing is frozen.

    Args:
        unfreeze_epoch (int): First epoch (0-based) in which the backbone
            trains. Defaults to 6.
        module_name (str): Dotted name of the sub-module to freeze.
            Defaults to ``'backbone'``.
        freeze_bn_stats (bool): Also keep the BatchNorm running statistics
            of the sub-module fixed while frozen (eval mode). The official
            code does not. Defaults to False.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self,
                 unfreeze_epoch: int = 6,
                 module_name: str = 'backbone',
                 freeze_bn_stats: bool = False) -> None:
        if unfreeze_epoch < 0:
            raise ValueError('`unfreeze_epoch` must be >= 0, but got '
                             f'{unfreeze_epoch}.')
        self.unfreeze_epoch = unfreeze_epoch
        self.module_name = module_name
        self.freeze_bn_stats = freeze_bn_stats
        self._frozen = False

    def _module(self, runner) -> nn.Module:
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        module: Optional[nn.Module] = model
        for name in self.module_name.split('.'):
            module = getattr(module, name, None)
            if module is None:
                raise AttributeError(
                    f'FreezeBackboneHook: the model {type(model).__name__} '
                    f'has no sub-module {self.module_name!r}.')
        return module

    def _set_requires_grad(self, runner, flag: bool) -> None:
        for param in self._module(runner).parameters():
            param.requires_grad_(flag)

    def before_train(self, runner) -> None:
        """Check the set-up and freeze unless resumed past the epoch."""
        model = runner.model
        if isinstance(model, DistributedDataParallel) and not getattr(
                model, 'find_unused_parameters', False):
            raise ValueError(
                'FreezeBackboneHook needs DDP with '
                'find_unused_parameters=True (frozen parameters get no '
                'gradient): set model_wrapper_cfg = dict(type='
                "'laanet.SAMDistributedDataParallel', "
                'find_unused_parameters=True).')
        module = self._module(runner)
        wrappers = [runner.optim_wrapper]
        if isinstance(runner.optim_wrapper, OptimWrapperDict):
            wrappers = list(runner.optim_wrapper.values())
        optim_params = {
            id(p)
            for wrapper in wrappers for group in wrapper.param_groups
            for p in group['params']
        }
        missing = [
            name for name, p in module.named_parameters()
            if id(p) not in optim_params
        ]
        if missing:
            raise ValueError(
                f'FreezeBackboneHook: {len(missing)} parameters of '
                f'{self.module_name!r} (e.g. {missing[0]!r}) are not in the '
                'optimizer, so they would never train after unfreezing. '
                'Do not set requires_grad=False before the optimizer is '
                'built (paramwise_cfg drops such parameters).')
        if runner.epoch < self.unfreeze_epoch:
            self._set_requires_grad(runner, False)
            self._frozen = True
            runner.logger.info(
                f'FreezeBackboneHook: {self.module_name} frozen until '
                f'epoch {self.unfreeze_epoch}.')

    def before_train_epoch(self, runner) -> None:
        """Unfreeze at ``unfreeze_epoch``."""
        if self._frozen and runner.epoch >= self.unfreeze_epoch:
            self._set_requires_grad(runner, True)
            self._module(runner).train()
            self._frozen = False
            runner.logger.info(
                f'FreezeBackboneHook: {self.module_name} unfrozen at epoch '
                f'{runner.epoch}.')

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        """Keep the frozen BatchNorm layers in eval mode if asked to."""
        if self._frozen and self.freeze_bn_stats:
            for m in self._module(runner).modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
