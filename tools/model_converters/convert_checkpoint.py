# Copyright (c) laanet contributors. All rights reserved.
"""Convert a checkpoint of another layout into a laanet checkpoint, once.

One tool for every method: it builds the model of CONFIG and loads SRC
into it strictly. The models convert foreign layouts while they load
(their load-state-dict pre-hooks, :func:`laanet.models.utils.
convert_on_load`): official LAA-Net checkpoints (``LAANet``), official SBI
files (``DeepfakeClassifier``), official FakeSTormer files
(``FakeSTormer``; a released name such as ``..._C0_ViTBase224_...``
also records the training set it names) and lukemelas EfficientNet weights
(``EfficientNet``, with ``--part backbone``). So the file converts here
exactly as it does in ``load_from``, ``init_model`` or ``tools/test.py``;
this tool checks every key once (unmapped, missing or mis-shaped keys are
all listed and nothing is written) and saves the result.

The output is ``{'state_dict': ..., 'meta': ...}``; ``meta`` records the
source file, its sha256, the layout recognised (``source_kind``), the
epoch the file states (``source_epoch``), the config and the laanet
version.

Examples::

    # an official LAA-Net checkpoint
    python tools/model_converters/convert_checkpoint.py \\
        configs/laanet/efn4_sbi.py PoseEfficientNet_..._model_best.pth \\
        checkpoints/laanet_sbi.pth
    # an official SBI file
    python tools/model_converters/convert_checkpoint.py \\
        configs/sbi/sbi_efn4.py FFraw.tar checkpoints/sbi_efn-b4_ffpp-raw.pth
    # an official FakeSTormer file
    python tools/model_converters/convert_checkpoint.py \\
        configs/fakestormer/fakestormer_c0.py \\
        TopDownDetector_C0_ViTBase224_..._model_best.pth \\
        checkpoints/fakestormer_c0.pth
    # lukemelas (AdvProp) EfficientNet weights for a backbone's init_cfg
    python tools/model_converters/convert_checkpoint.py \\
        configs/laanet/efn4_sbi.py adv-efficientnet-b4-44fb3a87.pth \\
        checkpoints/adv-efficientnet-b4.pth --part backbone
"""
import argparse
import hashlib
import os.path as osp
import sys
from collections import OrderedDict
from typing import Optional, Sequence

import torch

#: What ``--part`` may name: the whole model or its backbone.
PARTS = ('model', 'backbone')


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Convert a checkpoint (official LAA-Net, official SBI, '
        'lukemelas EfficientNet) to a laanet checkpoint for the model of '
        'CONFIG.')
    parser.add_argument('config', help='config of the target model')
    parser.add_argument('src', help='checkpoint to convert')
    parser.add_argument('dst', help='output .pth file')
    parser.add_argument(
        '--part',
        choices=PARTS,
        default='model',
        help="what SRC holds: the whole model (default) or backbone "
        "weights (for the backbone's init_cfg)")
    return parser.parse_args(argv)


def sha256sum(path: str) -> str:
    """sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def load_source(path: str) -> dict:
    """Load a checkpoint safely (``weights_only=True``).

    Returns:
        dict: The file's dict.

    Raises:
        FileNotFoundError: If the file does not exist.
        ValueError: If it cannot be read safely or holds no dict.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file.')
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=True)
    except Exception as e:
        raise ValueError(f'{path}: cannot be read as a weights-only torch '
                         f'checkpoint ({type(e).__name__}: {e}).') from e
    if not isinstance(ckpt, dict) or not ckpt:
        raise ValueError(f'{path}: holds no checkpoint dict.')
    return ckpt


def state_dict_of(ckpt: dict) -> 'OrderedDict':
    """The state dict to load, as MMEngine's ``load_checkpoint`` takes it:
    the ``state_dict`` entry when there is one, else the whole dict, with
    DataParallel's ``module.`` prefix removed."""
    state = ckpt['state_dict'] if isinstance(ckpt.get('state_dict'),
                                             dict) else ckpt
    return OrderedDict(
        (k[len('module.'):] if k.startswith('module.') else k, v)
        for k, v in state.items())


def build_part(config: str, part: str = 'model') -> torch.nn.Module:
    """The model of a config (or its backbone), without pretrained init."""
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    import laanet.models  # noqa: F401 (registers the models)
    from laanet.registry import MODELS
    init_default_scope('laanet')
    cfg = Config.fromfile(config).model
    if part == 'backbone':
        cfg = cfg.backbone
    for sub in (cfg, cfg.get('backbone')):
        if isinstance(sub, dict) and 'init_cfg' in sub:
            sub['init_cfg'] = None
    return MODELS.build(cfg)


def source_epoch(ckpt: dict) -> Optional[int]:
    """The epoch a checkpoint states (``epoch`` or ``meta.epoch``)."""
    meta = ckpt.get('meta')
    epoch = ckpt.get('epoch')
    if epoch is None and isinstance(meta, dict):
        epoch = meta.get('epoch')
    return epoch if isinstance(epoch, int) else None


def convert(src: str, config: str, part: str = 'model') -> tuple:
    """Load ``src`` strictly into the model (or backbone) of ``config``.

    Args:
        src (str): The checkpoint.
        config (str): The target model's config.
        part (str): ``'model'`` or ``'backbone'``.

    Returns:
        tuple[OrderedDict, dict]: The model's state dict, and ``meta``
        entries about the source (``source_kind``, ``source_epoch``).

    Raises:
        FileNotFoundError: If ``src`` does not exist.
        ValueError: Naming ``src`` and every offending key.
    """
    from laanet.models.utils.convert_on_load import CONVERSIONS_ATTR
    ckpt = load_source(src)
    model = build_part(config, part)
    try:
        model.load_state_dict(state_dict_of(ckpt), strict=True)
    except (RuntimeError, ValueError) as e:
        raise ValueError(
            f'{src}: cannot convert it for the {part} of {config}.\n{e}'
        ) from e
    kinds = [
        kind for module in model.modules()
        for kind in getattr(module, CONVERSIONS_ATTR, [])
    ]
    info = dict(
        source_kind=', '.join(kinds) if kinds else 'laanet',
        source_epoch=source_epoch(ckpt))
    from laanet.models.detectors.fakestormer_ckpt_convert import \
        released_checkpoint_note
    note = released_checkpoint_note(src, config)
    if note is not None:
        print(note)
        info['source_note'] = note
    return OrderedDict(model.state_dict()), info


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the conversion; return the exit status."""
    args = parse_args(argv)
    try:
        state_dict, info = convert(args.src, args.config, args.part)
    except (ValueError, FileNotFoundError) as e:
        print(f'error: {e}', file=sys.stderr)
        return 1
    from laanet import __version__
    from laanet.utils.media import atomic_torch_save
    meta = dict(
        source=osp.abspath(args.src),
        source_sha256=sha256sum(args.src),
        **info,
        config=osp.abspath(args.config),
        part=args.part,
        converter='tools/model_converters/convert_checkpoint.py',
        laanet_version=__version__)
    atomic_torch_save(dict(state_dict=state_dict, meta=meta), args.dst)
    print(f'Converted {len(state_dict)} tensors ({meta["source_kind"]}) '
          f'to {args.dst}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
