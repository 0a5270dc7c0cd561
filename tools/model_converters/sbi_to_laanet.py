# Copyright (c) laanet contributors. All rights reserved.
"""Convert an official SBI checkpoint (FFraw.tar, FFc23.tar) for laanet.

SBI's released files are ``{'model': state_dict, 'optimizer': ...,
'epoch': ...}`` of an efficientnet_pytorch EfficientNet under ``net.``
(2-output ``_fc``). The output is an MMEngine checkpoint for the
``DeepfakeClassifier`` of ``--config`` (default: SBI's EfficientNet-B4),
usable with ``load_from``, ``init_model``, ``tools/test.py`` and the
demos. Every key is mapped and checked against that model: unmapped,
missing or mis-shaped keys are all listed and nothing is written. The
released files also load as they are (converted on the fly); this tool
converts once. The output's ``meta`` records the source file, its sha256
and the epoch the file states.

Example::

    python tools/model_converters/sbi_to_laanet.py FFraw.tar \\
        checkpoints/sbi_efn-b4_ffpp-raw.pth
"""
import argparse
import os.path as osp
import sys

import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from official_to_laanet import (build_laanet, save_atomic,  # noqa: E402
                                sha256sum)

DEFAULT_CONFIG = osp.join(REPO_ROOT, 'configs', '_base_', 'models',
                          'sbi_efn-b4.py')


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert an official SBI checkpoint to a laanet '
        'DeepfakeClassifier checkpoint.')
    parser.add_argument('src', help='official SBI file (e.g. FFraw.tar)')
    parser.add_argument('dst', help='output .pth file')
    parser.add_argument(
        '--config',
        default=DEFAULT_CONFIG,
        help='model config the checkpoint must fit '
        '(default: configs/_base_/models/sbi_efn-b4.py)')
    return parser.parse_args(argv)


def convert(src: str, config: str = DEFAULT_CONFIG) -> tuple:
    """Convert ``src`` and check it against the model of ``config``.

    Args:
        src (str): Path of the SBI file.
        config (str): Model config.

    Returns:
        tuple[OrderedDict, dict]: The state dict, and the file's other
        entries that are numbers (e.g. ``epoch``).

    Raises:
        FileNotFoundError: If ``src`` does not exist.
        ValueError: With the file name and every offending key.
    """
    from laanet.models.detectors.sbi_ckpt_convert import (
        check_state_dict_matches, convert_sbi_state_dict, is_official_sbi,
        unwrap_sbi_checkpoint)
    if not osp.isfile(src):
        raise FileNotFoundError(f'{src}: no such file.')
    try:
        ckpt = torch.load(src, map_location='cpu', weights_only=True)
    except Exception as e:
        raise ValueError(f'{src}: cannot be read as a weights-only torch '
                         f'checkpoint ({type(e).__name__}: {e}).') from e
    if not isinstance(ckpt, dict) or not is_official_sbi(ckpt):
        keys = list(unwrap_sbi_checkpoint(ckpt))[:5] if isinstance(
            ckpt, dict) else []
        raise ValueError(
            f'{src}: not an official SBI checkpoint (no `model` entry with '
            '`net._conv_stem.weight` and `net._fc.weight`). First keys: ' +
            ', '.join(map(str, keys)))
    model = build_laanet(config)  # any detector config builds there
    try:
        depths = [len(s) for s in model.backbone.blocks] if hasattr(
            model.backbone, 'blocks') else None
        converted = convert_sbi_state_dict(ckpt, stage_depths=depths)
        check_state_dict_matches(converted, model.state_dict())
    except ValueError as e:
        raise ValueError(
            f'{src}: cannot convert it for this model.\n{e}') from e
    extra = {
        k: v
        for k, v in ckpt.items() if isinstance(v, (int, float, str))
    }
    return converted, extra


def main(argv=None) -> int:
    """Run the conversion; return the exit status."""
    args = parse_args(argv)
    try:
        converted, extra = convert(args.src, args.config)
    except (ValueError, FileNotFoundError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    from laanet import __version__
    meta = dict(
        source=osp.abspath(args.src),
        source_sha256=sha256sum(args.src),
        source_kind='official SBI',
        source_epoch=extra.get('epoch'),
        converter='tools/model_converters/sbi_to_laanet.py',
        laanet_version=__version__)
    save_atomic(dict(state_dict=converted, meta=meta), args.dst)
    print(f'Converted {len(converted)} tensors (official SBI) to {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
