# Copyright (c) laanet contributors. All rights reserved.
"""Command-line options shared by the tools."""
import argparse


def add_tta_arguments(parser: argparse.ArgumentParser) -> None:
    """``--tta`` / ``--no-tta`` into ``args.tta`` (None: the config's).

    Args:
        parser (argparse.ArgumentParser): The parser.
    """
    tta = parser.add_mutually_exclusive_group()
    tta.add_argument('--tta', dest='tta', action='store_const', const=True,
                     help='flip testing (model.test_cfg.flip_test=True)')
    tta.add_argument('--no-tta', dest='tta', action='store_const',
                     const=False, help='no flip testing')


def add_speed_arguments(parser: argparse.ArgumentParser) -> None:
    """``--compile`` into ``args.compile`` (the tools and demos).

    Args:
        parser (argparse.ArgumentParser): The parser.
    """
    parser.add_argument(
        '--compile',
        action='store_true',
        help='torch.compile the model\'s parts (backbone, neck, heads); '
        'the first iterations compile, see '
        'docs/en/advanced_guides/benchmarks.md for when it pays')
