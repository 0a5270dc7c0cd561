# Copyright (c) laanet contributors. All rights reserved.
"""Convert official LAA-Net or lukemelas EfficientNet weights for laanet.

Two kinds of input are recognised automatically:

- an official LAA-Net checkpoint (``PoseEfficientNet``; a dict with
  ``state_dict`` or a bare state dict, ``module.`` prefixes allowed) →
  an MMEngine checkpoint for ``LAANet`` (``load_from`` / ``init_model``);
- lukemelas EfficientNet-PyTorch ImageNet weights, e.g. the official
  AdvProp ``adv-efficientnet-b4-44fb3a87.pth`` → backbone init weights for
  ``EfficientNet(init_cfg=dict(type='Pretrained', checkpoint=DST))``.

Every key is mapped and checked against the model built from ``--config``
(LAA-Net) or ``--arch`` (backbone): unmapped, missing or mis-shaped keys
are all listed and nothing is written. float64 tensors become float32. The
output's ``meta`` records the source file and its sha256.

Example::

    python tools/model_converters/official_to_laanet.py \\
        PoseEfficientNet_..._model_best.pth checkpoints/laanet_sbi.pth
"""
import argparse
import hashlib
import os
import os.path as osp
import sys
import tempfile
from collections import OrderedDict

import torch

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEFAULT_CONFIG = osp.join(REPO_ROOT, 'configs', '_base_', 'models',
                          'laanet_efn-b4-efpn.py')


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert an official LAA-Net checkpoint (or lukemelas '
        'EfficientNet ImageNet weights) to a laanet checkpoint.')
    parser.add_argument('src', help='official .pth file')
    parser.add_argument('dst', help='output .pth file')
    parser.add_argument(
        '--config',
        default=DEFAULT_CONFIG,
        help='model config the LAA-Net checkpoint must fit '
        '(default: configs/_base_/models/laanet_efn-b4-efpn.py)')
    parser.add_argument(
        '--arch',
        default='b4',
        help='EfficientNet arch for backbone weights (default: b4)')
    parser.add_argument(
        '--kind',
        choices=['auto', 'laanet', 'efficientnet'],
        default='auto',
        help='what SRC holds (default: detect)')
    return parser.parse_args(argv)


def sha256sum(path: str) -> str:
    """sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def load_state_dict(path: str) -> OrderedDict:
    """Load a state dict safely (``weights_only=True``).

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If it cannot be read safely or holds no state dict.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file.')
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:
        raise ValueError(f'{path}: cannot be read as a weights-only torch '
                         f'checkpoint ({type(e).__name__}: {e}).') from e
    if isinstance(ckpt, dict) and isinstance(ckpt.get('state_dict'), dict):
        ckpt = ckpt['state_dict']
    if not isinstance(ckpt, dict) or not ckpt or not all(
            isinstance(v, torch.Tensor) for v in ckpt.values()):
        raise ValueError(f'{path}: holds no state dict of tensors.')
    return OrderedDict(ckpt)


def build_laanet(config: str):
    """The detector of a config (LAANet, DeepfakeClassifier), built without
    its pretrained backbone init."""
    from mmengine.config import Config

    from laanet.registry import MODELS
    from laanet.utils import register_all_modules
    register_all_modules()
    cfg = Config.fromfile(config).model
    cfg.backbone.init_cfg = None
    return MODELS.build(cfg)


def convert(src: str,
            config: str = DEFAULT_CONFIG,
            arch: str = 'b4',
            kind: str = 'auto') -> tuple:
    """Convert ``src`` and check it against the target model.

    Args:
        src (str): Path of the official file.
        config (str): Model config for LAA-Net checkpoints.
        arch (str): Backbone arch for EfficientNet weights.
        kind (str): ``'auto'``, ``'laanet'`` or ``'efficientnet'``.

    Returns:
        tuple[str, OrderedDict]: The detected kind and the state dict.

    Raises:
        ValueError: With the file name and every offending key.
    """
    from laanet.models.backbones import EfficientNet
    from laanet.models.backbones.efficientnet_ckpt_convert import (
        convert_lukemelas_backbone, is_lukemelas_backbone)
    from laanet.models.detectors.laanet_ckpt_convert import (
        check_state_dict_matches, convert_official_state_dict,
        is_official_laanet, strip_module_prefix)
    state_dict = strip_module_prefix(load_state_dict(src))
    if kind == 'auto':
        if is_official_laanet(state_dict):
            kind = 'laanet'
        elif is_lukemelas_backbone(state_dict):
            kind = 'efficientnet'
        else:
            raise ValueError(
                f'{src}: neither an official LAA-Net checkpoint nor '
                'lukemelas EfficientNet weights (no `_conv_stem.weight` / '
                '`deconv_1.*` keys). First keys: ' +
                ', '.join(list(state_dict)[:5]))
    try:
        if kind == 'laanet':
            model = build_laanet(config)
            expected = model.state_dict()
            stage_depths = [len(s) for s in model.backbone.blocks]
            converted = convert_official_state_dict(
                state_dict, stage_depths=stage_depths)
        else:
            backbone = EfficientNet(arch=arch)
            expected = backbone.state_dict()
            converted = convert_lukemelas_backbone(
                state_dict, stage_depths=[len(s) for s in backbone.blocks])
        check_state_dict_matches(converted, expected)
    except ValueError as e:
        raise ValueError(
            f'{src}: cannot convert it for this model.\n{e}') from e
    return kind, converted


def save_atomic(obj: dict, dst: str) -> None:
    """``torch.save`` to a temporary file, then rename over ``dst``."""
    out_dir = osp.dirname(osp.abspath(dst))
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix='.tmp')
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, dst)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def main(argv=None) -> int:
    """Run the conversion; return the exit status."""
    args = parse_args(argv)
    try:
        kind, converted = convert(args.src, args.config, args.arch, args.kind)
    except (ValueError, FileNotFoundError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    from laanet import __version__
    meta = dict(
        source=osp.abspath(args.src),
        source_sha256=sha256sum(args.src),
        source_kind=('official LAA-Net'
                     if kind == 'laanet' else 'lukemelas EfficientNet'),
        converter='tools/model_converters/official_to_laanet.py',
        laanet_version=__version__)
    save_atomic(dict(state_dict=converted, meta=meta), args.dst)
    print(f'Converted {len(converted)} tensors ({meta["source_kind"]}) '
          f'to {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
