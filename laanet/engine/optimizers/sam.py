# Copyright (c) laanet contributors. All rights reserved.
"""Sharpness-Aware Minimization (Foret et al., ICLR 2021) over any base
optimizer."""
from typing import Callable, Optional, Union

import torch
from torch.optim import Optimizer

from laanet.registry import OPTIMIZERS

BN_SECOND_PASS_MODES = ('update', 'freeze')


@OPTIMIZERS.register_module()
class SAM(Optimizer):
    """Sharpness-Aware Minimization wrapped around a base optimizer.

    One SAM step takes two forward/backward passes: the first gradient
    ``g`` moves the weights to the (approximate) worst point of their
    ``rho``-neighbourhood, ``w + rho * g / ||g||`` (:meth:`first_step`); the
    gradient computed there is applied to the original weights by the base
    optimizer (:meth:`second_step`). ASAM (``adaptive=True``) scales the
    neighbourhood by ``|w|``.

    In a runner the two passes are run by
    :func:`laanet.engine.sam_train_step`, which ``LAANet.train_step`` and
    :class:`laanet.engine.SAMDistributedDataParallel` call whenever the
    optimizer is a ``SAM``.

    ``param_groups`` are shared with the base optimizer, so MMEngine
    parameter schedulers change the learning rate the base optimizer uses,
    and :meth:`state_dict` / :meth:`load_state_dict` carry the base
    optimizer's state (e.g. Adam's moments), so a resumed run continues with
    them. The state dict is the base optimizer's own state dict, so a SAM
    checkpoint can be loaded into a plain base optimizer and vice versa.

    Args:
        params (Iterable): Parameters or parameter groups to optimize.
        base_optimizer (str | type): Name of the base optimizer in the
            ``OPTIMIZERS`` registry (any ``torch.optim`` optimizer, e.g.
            ``'Adam'``) or an optimizer class. Defaults to ``'Adam'``.
        rho (float): Radius of the neighbourhood. ``rho=0`` gives exactly
            the base optimizer. Defaults to 0.05.
        adaptive (bool): Use adaptive SAM (ASAM). Defaults to False.
        bn_second_pass (str): What BatchNorm running statistics do in the
            second (perturbed) forward pass. ``'update'`` updates them in
            both passes, as the official LAA-Net code does; ``'freeze'``
            keeps them as they were after the first pass, as the reference
            SAM implementation recommends. Defaults to ``'update'``.
        **base_optimizer_kwargs: Arguments of the base optimizer, e.g.
            ``lr`` and ``weight_decay``.

    Examples:
        >>> import torch
        >>> from laanet.engine import SAM
        >>> model = torch.nn.Linear(2, 1)
        >>> optimizer = SAM(model.parameters(), 'Adam', rho=0.05, lr=1e-3)
        >>> def closure():
        ...     loss = model(torch.ones(4, 2)).pow(2).mean()
        ...     loss.backward()
        ...     return loss
        >>> loss = closure()
        >>> loss_at_ascent_point = optimizer.step(closure)
    """

    def __init__(self,
                 params,
                 base_optimizer: Union[str, type] = 'Adam',
                 rho: float = 0.05,
                 adaptive: bool = False,
                 bn_second_pass: str = 'update',
                 **base_optimizer_kwargs) -> None:
        if rho < 0:
            raise ValueError(f'`rho` must be non-negative, but got {rho}.')
        if bn_second_pass not in BN_SECOND_PASS_MODES:
            raise ValueError(
                f'`bn_second_pass` must be one of {BN_SECOND_PASS_MODES}, '
                f'but got {bn_second_pass!r}.')
        defaults = dict(rho=rho, adaptive=adaptive, **base_optimizer_kwargs)
        super().__init__(params, defaults)
        if isinstance(base_optimizer, str):
            base_cls = OPTIMIZERS.get(base_optimizer)
            if base_cls is None:
                raise KeyError(
                    f'Base optimizer {base_optimizer!r} is not in the '
                    'OPTIMIZERS registry (torch.optim names such as '
                    "'Adam' or 'SGD' are).")
        elif isinstance(base_optimizer, type) and issubclass(
                base_optimizer, Optimizer):
            base_cls = base_optimizer
        else:
            raise TypeError('`base_optimizer` must be a registered name or '
                            'a torch.optim.Optimizer subclass, but got '
                            f'{base_optimizer!r}.')
        if issubclass(base_cls, SAM):
            raise TypeError('SAM cannot wrap another SAM.')
        self.bn_second_pass = bn_second_pass
        self.base_optimizer = base_cls(self.param_groups,
                                       **base_optimizer_kwargs)
        # Share the groups: a scheduler changing ``lr`` here changes it for
        # the base optimizer too.
        self.param_groups = self.base_optimizer.param_groups
        self.defaults.update(self.base_optimizer.defaults)
        # Weights before the ascent step, kept only between the two steps.
        self._old_params = {}

    @torch.no_grad()
    def grad_norm(self) -> torch.Tensor:
        """The L2 norm over all gradients (``|w|``-scaled for ASAM).

        Returns:
            torch.Tensor: A 0-d float tensor; inf or nan when a gradient
            is not finite (an fp16 overflow the loss scaler skips).
        """
        norms = []
        for group in self.param_groups:
            for p in group['params']:
                if p.grad is None:
                    continue
                g = p.grad
                if group['adaptive']:
                    g = torch.abs(p) * g
                norms.append(g.norm(p=2).float())
        if not norms:
            return torch.zeros(())
        device = norms[0].device
        return torch.stack([n.to(device) for n in norms]).norm(p=2)

    @torch.no_grad()
    def first_step(self,
                   zero_grad: bool = False,
                   grad_norm: Optional[torch.Tensor] = None) -> None:
        """Move the weights to ``w + e(w)``, the ascent point.

        Args:
            zero_grad (bool): Clear the gradients afterwards. Defaults to
                False.
            grad_norm (torch.Tensor, optional): :meth:`grad_norm` of the
                current gradients when the caller already has it (the
                loss-scaled step checks it first). Defaults to None
                (computed here).
        """
        if self._old_params:
            raise RuntimeError('`first_step` was called twice without a '
                               '`second_step` in between.')
        if grad_norm is None:
            grad_norm = self.grad_norm()
        for group in self.param_groups:
            scale = group['rho'] / (grad_norm + 1e-12)
            for p in group['params']:
                if p.grad is None:
                    continue
                self._old_params[p] = p.detach().clone()
                e_w = p.grad * scale.to(p)
                if group['adaptive']:
                    e_w = torch.pow(p, 2) * e_w
                p.add_(e_w)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad: bool = False) -> None:
        """Restore the weights and take the base optimizer's step with the
        gradient computed at the ascent point.

        Args:
            zero_grad (bool): Clear the gradients afterwards. Defaults to
                False.
        """
        self.restore_weights()
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def restore_weights(self) -> None:
        """Move the weights back from ``w + e(w)`` to ``w`` (the first
        half of :meth:`second_step`; alone, when the loss scaler skips the
        base step)."""
        for p, old in self._old_params.items():
            p.copy_(old)
        self._old_params = {}

    @torch.no_grad()
    def step(self, closure: Optional[Callable] = None):
        """Take a full SAM step.

        Args:
            closure (Callable): Re-evaluates the model at the current
                weights and calls ``backward`` (gradients are cleared
                before it runs). Gradients of the first pass must already
                be there when ``step`` is called.

        Returns:
            The value returned by the closure.
        """
        if closure is None:
            raise RuntimeError(
                'SAM needs a second forward/backward pass at the perturbed '
                'weights: call `step(closure)`, or `first_step()` and '
                '`second_step()`. In an MMEngine runner the model must run '
                '`laanet.engine.sam_train_step` (LAANet does); a plain '
                '`OptimWrapper.update_params` cannot do SAM.')
        closure = torch.enable_grad()(closure)
        self.first_step(zero_grad=True)
        loss = closure()
        self.second_step()
        return loss

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of all parameters.

        Args:
            set_to_none (bool): Set the gradients to None instead of zero.
                Defaults to True.
        """
        self.base_optimizer.zero_grad(set_to_none=set_to_none)

    def state_dict(self) -> dict:
        """Return the base optimizer's state dict (its state, e.g. Adam's
        moments, and the shared parameter groups with ``rho`` and
        ``adaptive``).

        Returns:
            dict: The state dict.
        """
        return self.base_optimizer.state_dict()

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a state dict written by :meth:`state_dict` (or by the plain
        base optimizer).

        Args:
            state_dict (dict): The state dict.
        """
        self.base_optimizer.load_state_dict(state_dict)
        # ``Optimizer.load_state_dict`` replaces the base optimizer's group
        # list: share it again.
        self.param_groups = self.base_optimizer.param_groups
        for group in self.param_groups:
            group.setdefault('rho', self.defaults['rho'])
            group.setdefault('adaptive', self.defaults['adaptive'])

    def __repr__(self) -> str:
        return (f'SAM(base_optimizer={self.base_optimizer!r}, '
                f'bn_second_pass={self.bn_second_pass!r})')
