# Copyright (c) laanet contributors. All rights reserved.
"""A complete, tiny Runner config around the toy model and dataset."""
import copy
import itertools
import os
import time
from typing import Optional

_RUN_IDS = itertools.count()


def toy_runner_cfg(work_dir: str,
                   max_epochs: int = 2,
                   optimizer: Optional[dict] = None,
                   num_videos: int = 8,
                   batch_size: int = 4,
                   seed: int = 0,
                   **overrides) -> dict:
    """A complete Runner config around ``ToyDeepfakeModel``.

    SAM over Adam, the per-epoch LinearLR schedule, ``DeepfakeMetric``
    validation every epoch and a checkpoint every epoch, on
    ``ToyDeepfakeDataset``; small enough to train in about a second.

    Args:
        work_dir (str): The work dir.
        max_epochs (int): Epochs. Defaults to 2.
        optimizer (dict, optional): The optimizer config. Defaults to
            ``SAM(Adam, lr=1e-2, rho=0.05, weight_decay=1e-4)``.
        num_videos (int): Videos of the training set. Defaults to 8.
        batch_size (int): Batch size per process. Defaults to 4.
        seed (int): ``randomness.seed``. Defaults to 0.
        **overrides: Top-level keys to replace.

    Returns:
        dict: The config, to pass to ``Runner.from_cfg(Config(cfg))``.
    """
    if optimizer is None:
        optimizer = dict(
            type='SAM',
            base_optimizer='Adam',
            lr=1e-2,
            rho=0.05,
            weight_decay=1e-4)
    dataset = dict(
        type='ToyDeepfakeDataset', num_videos=num_videos, frames_per_video=3)
    cfg = dict(
        default_scope='laanet',
        custom_imports=dict(
            imports=['laanet.testing'], allow_failed_imports=False),
        work_dir=work_dir,
        model=dict(type='ToyDeepfakeModel', dropout=0.0),
        train_dataloader=dict(
            dataset=dataset,
            sampler=dict(type='DefaultSampler', shuffle=True),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=batch_size,
            num_workers=0),
        val_dataloader=dict(
            dataset=dict(dataset, num_videos=4, seed=1),
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=batch_size,
            num_workers=0),
        val_evaluator=dict(type='DeepfakeMetric'),
        test_dataloader=dict(
            dataset=dict(dataset, num_videos=4, seed=2),
            sampler=dict(type='DefaultSampler', shuffle=False),
            collate_fn=dict(type='pseudo_collate'),
            batch_size=batch_size,
            num_workers=0),
        test_evaluator=dict(type='DeepfakeMetric'),
        optim_wrapper=dict(type='OptimWrapper', optimizer=optimizer),
        param_scheduler=[
            dict(
                type='LinearLR',
                start_factor=0.25,
                end_factor=1.0,
                begin=0,
                end=2,
                by_epoch=True)
        ],
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs, val_interval=1),
        val_cfg=dict(),
        test_cfg=dict(),
        default_hooks=dict(
            logger=dict(type='LoggerHook', interval=1),
            checkpoint=dict(
                type='CheckpointHook',
                interval=1,
                max_keep_ckpts=1,
                save_best='deepfake/video_auc',
                rule='greater')),
        randomness=dict(seed=seed),
        log_level='WARNING',
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        # unique per runner: MMEngine keys its logger and visualizer
        # instances on it, and runners built in the same second would
        # otherwise share them
        experiment_name=f'toy_{os.getpid()}_{next(_RUN_IDS)}_'
        f'{time.time_ns()}',
    )
    cfg.update(copy.deepcopy(overrides))
    return cfg
