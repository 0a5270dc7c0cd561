# Copyright (c) laanet contributors. All rights reserved.
"""Inputs shared by the end-to-end comparisons with the official code.

The fixtures in ``tests/data/official_e2e/`` were made by running the
official LAA-Net code on exactly these inputs (see the README there):

- :func:`write_face_files`: 256-px PNG face crops of real faces that
  installed packages ship (scikit-image's astronaut, insightface's
  ``t1.jpg``), cut from fixed windows, so no face detector runs;
- :func:`official_layout_checkpoint`: a seeded EfficientNet-B4 LAA-Net
  whose BatchNorm statistics come from a forward over those faces (with
  default statistics the random network gives almost the same logit for
  every face and a comparison of logits would mean little), saved with
  the official ``PoseEfficientNet`` keys.
"""
import copy
import functools
import os
import os.path as osp
import re
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmengine.config import Config

from laanet.models.detectors.laanet_ckpt_convert import \
    convert_official_state_dict
from laanet.utils.demo_media import t1_image

#: name -> (source, (x0, y0, x1, y1) window in the source image). The
#: astronaut window is the reference harness's face fixture (its box
#: (150, 50, 300, 200) grown by a quarter per side); the t1 windows are
#: dlib's boxes of faces 0, 1 and 3 (from the left) of ``t1.jpg``, grown
#: the same way.
FACE_WINDOWS = OrderedDict([
    ('astronaut', ('astronaut', (113, 13, 337, 237))),
    ('t1_face0', ('t1', (40, 257, 202, 416))),
    ('t1_face1', ('t1', (253, 154, 386, 287))),
    ('t1_face3', ('t1', (697, 341, 859, 500))),
])


@functools.lru_cache(maxsize=2)
def _source_rgb(name: str) -> np.ndarray:
    """The full source image as RGB uint8 (read once; do not modify)."""
    if name == 'astronaut':
        from skimage import data
        return data.astronaut()
    path = t1_image()
    if path is None:
        raise FileNotFoundError(
            "insightface's t1.jpg is not installed (pip install insightface)")
    return cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)


def face_crop(name: str, size: int = 256) -> np.ndarray:
    """The face crop ``name`` of :data:`FACE_WINDOWS`, RGB uint8.

    The window is resized to ``size``² with ``cv2.INTER_LINEAR``, as the
    official ``images_crop.py`` resizes its crops.

    Args:
        name (str): A key of :data:`FACE_WINDOWS`.
        size (int): Output side. Defaults to 256.

    Returns:
        np.ndarray: (size, size, 3) uint8 RGB.
    """
    source, (x0, y0, x1, y1) = FACE_WINDOWS[name]
    rgb = _source_rgb(source)
    return cv2.resize(rgb[y0:y1, x0:x1], (size, size),
                      interpolation=cv2.INTER_LINEAR)


def write_face_files(out_dir: str,
                     names: Optional[Sequence[str]] = None) -> Dict[str, str]:
    """Write face crops of :data:`FACE_WINDOWS` as PNG files.

    Args:
        out_dir (str): Folder (created if missing).
        names (Sequence[str], optional): Which faces. Defaults to all.

    Returns:
        dict[str, str]: name -> path of ``<out_dir>/<name>.png``.
    """
    os.makedirs(out_dir, exist_ok=True)
    paths = OrderedDict()
    for name in names or FACE_WINDOWS:
        path = osp.join(out_dir, f'{name}.png')
        if not cv2.imwrite(path, face_crop(name)[..., ::-1]):
            raise OSError(f'cannot write {path}')
        paths[name] = path
    return paths


def read_official_keys(key_file: str) -> List[Tuple[str, tuple, bool]]:
    """The official state-dict keys listed in ``official-state-dict.txt``.

    Args:
        key_file (str): The tab-separated list (kind, key, shape).

    Returns:
        list[tuple[str, tuple, bool]]: (key, shape, is the duplicated
        ``deconv_4.0.*`` alias of an ``inception_block.*`` tensor), in the
        official order.
    """
    rows = []
    with open(key_file) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            kind, key, shape = line.rstrip('\n').split('\t')
            shape = tuple(int(s) for s in re.findall(r'\d+', shape))
            rows.append((key, shape, 'alias' in kind))
    return rows


def identity_official_state_dict(key_file: str) -> 'OrderedDict':
    """An official state dict whose tensors are filled with their index.

    Every tensor holds one value, the row number of its key, so a
    converted copy shows where each official tensor went. The duplicated
    ``deconv_4.0.*`` tensors equal their ``inception_block.*`` twins.

    Args:
        key_file (str): See :func:`read_official_keys`.

    Returns:
        OrderedDict: official key -> float64 (long for
        ``num_batches_tracked``) tensor.
    """
    state = OrderedDict()
    for i, (key, shape, _) in enumerate(read_official_keys(key_file)):
        if key.startswith('deconv_4.0.'):
            twin = 'inception_block.' + key[len('deconv_4.0.'):]
            state[key] = state[twin].clone()
        elif key.endswith('num_batches_tracked'):
            state[key] = torch.tensor(i, dtype=torch.long)
        else:
            state[key] = torch.full(shape, float(i), dtype=torch.float64)
    return state


def to_official_state_dict(state_dict: Dict[str, torch.Tensor],
                           key_file: str) -> 'OrderedDict':
    """Write a laanet B4 ``LAANet`` state dict with the official keys.

    The inverse of
    :func:`~laanet.models.detectors.laanet_ckpt_convert.convert_official_state_dict`,
    found by converting :func:`identity_official_state_dict`; the
    duplicated ``deconv_4.0.*`` tensors are written too (803 entries).

    Args:
        state_dict (dict): laanet keys -> tensors.
        key_file (str): See :func:`read_official_keys`.

    Returns:
        OrderedDict: official key -> float64 (long) tensor.
    """
    ident = identity_official_state_dict(key_file)
    where = {}
    for key, value in convert_official_state_dict(ident).items():
        where[int(value.flatten()[0])] = key
    out = OrderedDict()
    for i, (key, _, alias) in enumerate(read_official_keys(key_file)):
        if alias:
            twin = 'inception_block.' + key[len('deconv_4.0.'):]
            out[key] = out[twin].clone()
            continue
        value = state_dict[where[i]].detach().clone()
        out[key] = value.double() if value.is_floating_point() else value
    return out


def _bn_modules(model: torch.nn.Module) -> List[torch.nn.Module]:
    return [
        m for m in model.modules()
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)
    ]


def official_layout_checkpoint(cfg: Config,
                               face_paths: Sequence[str],
                               key_file: str,
                               seed: int = 0,
                               threads: int = 2) -> 'OrderedDict':
    """A seeded LAA-Net with face-calibrated BatchNorm, official keys.

    Builds ``cfg.model`` after ``torch.manual_seed(seed)``, then runs one
    batch of the faces (through ``cfg.test_pipeline`` and the model's
    data preprocessor) with only the BatchNorm layers in training mode
    and ``momentum=None``: each running mean / variance becomes the
    statistics of that batch. Dropout and drop-path stay off.

    Args:
        cfg (Config): A LAA-Net config with ``model`` and
            ``test_pipeline``.
        face_paths (Sequence[str]): Image files.
        key_file (str): See :func:`read_official_keys`.
        seed (int): Torch seed of the weights. Defaults to 0.
        threads (int): Torch threads of the calibration forward: its
            float32 reductions round differently with another thread count
            (2.6e-5 relative in the statistics from 1 thread), so it is
            fixed, whatever an earlier caller in the process set. Defaults
            to 2, the count the stored fixtures were made with.

    Returns:
        OrderedDict: The official-layout state dict (float64).
    """
    from mmcv.transforms import Compose
    from mmengine.dataset import pseudo_collate
    from mmengine.registry import init_default_scope

    from laanet.registry import MODELS
    init_default_scope('laanet')
    torch.manual_seed(seed)
    model = MODELS.build(copy.deepcopy(cfg.model)).eval()
    pipeline = Compose(copy.deepcopy(cfg.test_pipeline))
    batch = pseudo_collate([
        pipeline(dict(img_path=p, gt_label=0, video_id=str(i)))
        for i, p in enumerate(face_paths)
    ])
    data = model.data_preprocessor(batch, False)
    saved = [m.momentum for m in _bn_modules(model)]
    for m in _bn_modules(model):
        m.train()
        m.momentum = None
        m.reset_running_stats()
    before = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with torch.no_grad():
            model(data['inputs'], mode='tensor')
    finally:
        torch.set_num_threads(before)
    for m, momentum in zip(_bn_modules(model), saved):
        m.momentum = momentum
        m.num_batches_tracked.zero_()
    return to_official_state_dict(model.eval().state_dict(), key_file)
