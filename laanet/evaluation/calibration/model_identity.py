# Copyright (c) laanet contributors. All rights reserved.
"""The identity of a model a calibration belongs to: hashes of its
config's ``model`` dict and of its weights."""
import hashlib
import json
import os.path as osp
import zipfile
from typing import Any, Optional

import numpy as np
import torch


def _strip_init(value: Any) -> Any:
    """``value`` without ``init_cfg`` entries (pretrained-weight paths,
    which the checkpoint overrides and inference drops)."""
    if isinstance(value, dict):
        return {
            str(k): _strip_init(v)
            for k, v in value.items() if k != 'init_cfg'
        }
    if isinstance(value, (list, tuple)):
        return [_strip_init(v) for v in value]
    return value


def model_config_sha256(cfg) -> str:
    """SHA-256 of the config's ``model`` dict (architecture, heads, test
    settings such as flip TTA; ``init_cfg`` left out), in canonical JSON.

    Args:
        cfg (Config | dict): A config with ``model``.

    Returns:
        str: The hex digest.
    """
    model = cfg['model']
    model = model.to_dict() if hasattr(model, 'to_dict') else dict(model)
    text = json.dumps(_strip_init(model), sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()


def _hash_tree(digest, value: Any, prefix: str = '') -> None:
    if isinstance(value, torch.Tensor):
        array = value.detach().cpu().contiguous()
        digest.update(f'{prefix}|{array.dtype}|{tuple(array.shape)}|'.encode())
        if array.numel():  # the raw bytes, whatever the dtype
            digest.update(array.reshape(-1).view(torch.uint8).numpy())
    elif isinstance(value, np.ndarray):
        digest.update(f'{prefix}|{value.dtype}|{value.shape}|'.encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            _hash_tree(digest, value[key], f'{prefix}/{key}')


def _load(path: str):
    """A checkpoint, memory-mapped where its format allows."""
    from laanet.engine.checkpoint import enable_mmengine_checkpoints
    enable_mmengine_checkpoints()
    return torch.load(path, map_location='cpu', weights_only=True,
                      mmap=zipfile.is_zipfile(path))


def _onnx_weights_sha256(path: str) -> Optional[str]:
    """The ``weights_sha256`` an exported graph records, None without."""
    import onnx
    graph = onnx.load(path, load_external_data=False)
    meta = {p.key: p.value for p in graph.metadata_props}
    return meta.get('weights_sha256')


def weights_sha256(path: str) -> Optional[str]:
    """SHA-256 of the weights in a checkpoint: every tensor of its
    ``state_dict`` (the whole file for a bare state dict) with its name,
    dtype and shape, in name order.

    The file's other entries (``meta``, optimizer state) do not count, so
    embedding a calibration in the checkpoint's ``meta`` keeps its hash.
    For an ``.onnx`` graph: the hash of the checkpoint it was exported from
    (its ``weights_sha256`` metadata; None for a graph exported without).

    Args:
        path (str): A ``.pth`` checkpoint or an ``.onnx`` graph.

    Returns:
        str | None: The hex digest.

    Raises:
        FileNotFoundError: If the file does not exist.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'checkpoint {path} does not exist')
    if path.endswith('.onnx'):
        return _onnx_weights_sha256(path)
    ckpt = _load(path)
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
    digest = hashlib.sha256()
    _hash_tree(digest, state)
    return digest.hexdigest()


def checkpoint_meta(path: str) -> dict:
    """The ``meta`` dict of a checkpoint (empty without one).

    Args:
        path (str): A ``.pth`` checkpoint.

    Returns:
        dict: Its ``meta``.
    """
    ckpt = _load(path)
    meta = ckpt.get('meta') if isinstance(ckpt, dict) else None
    return dict(meta) if isinstance(meta, dict) else {}
