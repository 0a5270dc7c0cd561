# Copyright (c) laanet contributors. All rights reserved.
"""Train a model: ``python tools/train.py CONFIG [options]``."""
import argparse
import os

from mmengine.config import Config, DictAction

from laanet.engine import apply_train_options, build_runner, \
    cleanup_distributed
from laanet.utils.cli_args import add_speed_arguments


def parse_args() -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description='Train a laanet model.')
    parser.add_argument('config', help='train config file path')
    parser.add_argument(
        '--work-dir',
        help='the dir to save logs and checkpoints (default: '
        './work_dirs/<config name>)')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or, without a path, from '
        'the latest checkpoint in the work dir')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: bfloat16 autocast where supported (CPUs, '
        'Ampere+ GPUs), else fp16 with dynamic loss scaling (SAM too); '
        'recommended on GPUs, opt-in on CPUs (slower there)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. '
        'optim_wrapper.optimizer.lr=1e-4 train_cfg.max_epochs=10')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm'],
        default='none',
        help='job launcher (tools/dist_train.sh uses pytorch)')
    add_speed_arguments(parser)
    # torch.distributed.launch passes --local-rank (torchrun sets the env)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def main() -> None:
    """Build the runner from the config and train."""
    args = parse_args()
    cfg = Config.fromfile(args.config)
    apply_train_options(
        cfg,
        args.config,
        work_dir=args.work_dir,
        resume=args.resume,
        amp=args.amp,
        launcher=args.launcher,
        cfg_options=args.cfg_options,
        compile=args.compile)
    try:
        runner = build_runner(cfg)
        runner.train()
    except BaseException:
        cleanup_distributed(wait_for_all=False)
        raise
    cleanup_distributed()


if __name__ == '__main__':
    main()
