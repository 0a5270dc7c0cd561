# Copyright (c) laanet contributors. All rights reserved.
"""The portable synthetic weights of the FakeSTormer fixtures.

A state dict any implementation can rebuild from a list of (key, shape)
with numpy alone (``tests/data/fakestormer/README.md``): per key, a
``RandomState`` seeded with the key's CRC-32 draws the tensor, scaled by
what the key is (BN statistics, tokens and embeddings, 1-D weights and
biases, fan-in-scaled matrices).
"""
import zlib
from collections import OrderedDict
from typing import Iterable, Tuple

import numpy as np
import torch

#: Last key components drawn as 0.02·N(0, 1).
_EMBEDDINGS = ('cls_token', 'pos_embed', 'temp_token', 'time_embed',
               'register_token')


def synthetic_tensor(key: str, shape: Tuple[int, ...]) -> np.ndarray:
    """The synthetic value of one state-dict entry (float32, or int64 for
    ``num_batches_tracked``)."""
    rs = np.random.RandomState(zlib.crc32(key.encode()) & 0xffffffff)
    shape = tuple(int(s) for s in shape)
    if key.endswith('num_batches_tracked'):
        return np.zeros(shape, dtype=np.int64)
    if key.endswith('running_var'):
        return (1.0 + 0.5 * rs.random_sample(shape)).astype(np.float32)
    n = rs.standard_normal(shape)
    last = key.rsplit('.', 1)[-1]
    if key.endswith('running_mean'):
        value = 0.1 * n
    elif last in _EMBEDDINGS:
        value = 0.02 * n
    elif len(shape) == 1 and last == 'weight':
        value = 1.0 + 0.1 * n
    elif len(shape) == 1 and last == 'bias':
        value = 0.02 * n
    else:
        value = n / np.sqrt(int(np.prod(shape[1:])) if len(shape) > 1 else 1)
    return value.astype(np.float32)


def synthetic_state_dict(
        keys_shapes: Iterable[Tuple[str, Tuple[int, ...]]]) -> 'OrderedDict':
    """Torch tensors for every (key, shape), in the given order."""
    return OrderedDict((key, torch.from_numpy(synthetic_tensor(key, shape)))
                       for key, shape in keys_shapes)


def read_key_list(path: str) -> list:
    """(key, shape) pairs of a ``key<TAB>shape<TAB>dtype`` file (lines
    starting with ``#`` skipped) or of ``key<TAB>shape`` strings."""
    with open(path, encoding='utf-8') as f:
        lines = [ln.rstrip('\n') for ln in f if not ln.startswith('#')]
    return parse_key_lines(lines)


def parse_key_lines(lines: Iterable[str]) -> list:
    """(key, shape) pairs of ``key<TAB>(d0, d1, ...)[<TAB>dtype]`` lines."""
    out = []
    for line in lines:
        key, shape = line.split('\t')[:2]
        dims = shape.strip('()').replace(' ', '').split(',')
        out.append((key, tuple(int(d) for d in dims if d)))
    return out
