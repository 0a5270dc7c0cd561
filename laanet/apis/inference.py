# Copyright (c) laanet contributors. All rights reserved.
"""Build a detector from a config and load its weights."""
import copy
import os.path as osp
from typing import Optional, Union

import torch
from mmengine.config import Config
from mmengine.logging import print_log
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint
from torch import nn


def _drop_pretrained_init(cfg: dict) -> None:
    """Remove ``Pretrained`` init configs (weights come from the checkpoint,
    and no local ImageNet file is needed)."""
    if isinstance(cfg, dict):
        init_cfg = cfg.get('init_cfg')
        if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
            cfg['init_cfg'] = None
        for value in cfg.values():
            _drop_pretrained_init(value)


def load_config(config: Union[str, Config]) -> Config:
    """A config from its file, or a copy of a config object.

    Args:
        config (str | Config): Config file or object.

    Returns:
        Config: A config the caller may change.

    Raises:
        FileNotFoundError: If the file does not exist.
        TypeError: For anything else than a path or a Config.
    """
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file {config} does not exist')
        return Config.fromfile(config)
    if isinstance(config, Config):
        return copy.deepcopy(config)
    raise TypeError('config must be a file path or a Config, got '
                    f'{type(config)}')


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu',
               cfg_options: Optional[dict] = None) -> nn.Module:
    """Build a LAA-Net detector from a config, optionally with weights.

    Both kinds of checkpoint load: laanet's (written by the MMEngine
    runner, ``state_dict`` inside) and the official LAA-Net ones
    (``{'epoch', 'state_dict', 'optimizer'}`` with ``PoseEfficientNet``
    keys), which :class:`~laanet.models.LAANet` converts on the fly. Keys
    must match exactly, so a config that does not fit the checkpoint
    fails with the list of differences instead of silently leaving layers
    random.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Local checkpoint file. None keeps the
            random initialisation (a warning says so).
        device (str | torch.device): Device. Defaults to ``'cpu'``.
        cfg_options (dict, optional): Overrides merged into the config.

    Returns:
        nn.Module: The model in eval mode, with the config as ``model.cfg``.

    Raises:
        FileNotFoundError: If the config or checkpoint does not exist.
        RuntimeError: If the checkpoint does not fit the model.
    """
    config = load_config(config)
    if cfg_options is not None:
        config.merge_from_dict(cfg_options)
    from laanet.engine.checkpoint import enable_mmengine_checkpoints
    from laanet.registry import MODELS

    # the registries import laanet's modules themselves (``locations``)
    init_default_scope(config.get('default_scope', 'laanet'))

    model_cfg = copy.deepcopy(config.model)
    if checkpoint is not None:
        _drop_pretrained_init(model_cfg)
    model = MODELS.build(model_cfg)
    if checkpoint is None:
        print_log(
            'init_model: no checkpoint given, the model keeps its random '
            'initialisation (its scores mean nothing).',
            logger='current',
            level=30)
    else:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint {checkpoint} does not exist')
        # the runner's own checkpoints load with weights_only=True
        enable_mmengine_checkpoints()
        try:
            load_checkpoint(model, checkpoint, map_location='cpu', strict=True)
        except RuntimeError as err:
            raise RuntimeError(
                f'checkpoint {checkpoint} does not fit the model of the '
                f'config: {err}') from err
    model.cfg = config
    model.to(device)
    model.eval()
    return model
