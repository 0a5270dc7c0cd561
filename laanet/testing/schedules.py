# Copyright (c) laanet contributors. All rights reserved.
"""The learning rate a config's schedule gives in every epoch."""
from typing import List, Tuple

import torch


def lr_per_epoch(cfg) -> Tuple[List[float], object]:
    """Build the config's optimizer wrapper (on a tiny model) and
    schedulers, and step them once per epoch.

    Args:
        cfg (Config): With ``optim_wrapper``, ``param_scheduler`` and
            ``train_cfg.max_epochs``.

    Returns:
        tuple[list[float], OptimWrapper]: The lr in force in each epoch,
        and the wrapper.
    """
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import PARAM_SCHEDULERS
    wrapper = build_optim_wrapper(torch.nn.Linear(2, 1), cfg.optim_wrapper)
    schedulers = [
        PARAM_SCHEDULERS.build(dict(s, optimizer=wrapper))
        for s in cfg.param_scheduler
    ]
    lrs = []
    for _ in range(cfg.train_cfg.max_epochs):
        lrs.append(wrapper.get_lr()['lr'][0])
        for s in schedulers:
            s.step()
    return lrs, wrapper
