# Copyright (c) laanet contributors. All rights reserved.
"""Collate (real, fake) pairs into one shuffled batch."""
from typing import List, Sequence

import torch

from laanet.registry import FUNCTIONS


@FUNCTIONS.register_module()
def pair_collate(data_batch: Sequence[dict]) -> dict:
    """Flatten B packed pairs into 2B images with one joint shuffle.

    Each item comes from ``PackDeepfakeInputs(pair=True)``:
    ``inputs`` (2, 3, H, W) uint8 and ``data_samples`` [real, fake]. The
    result is ``inputs`` (2B, 3, H, W) and a list of 2B data samples,
    permuted jointly with one ``torch.randperm`` (torch's global RNG, which
    MMEngine seeds), so every label and target stays with its image. Single
    items (``inputs`` (3, H, W), one data sample) are stacked in order.

    Args:
        data_batch (Sequence[dict]): Items from the dataset.

    Returns:
        dict: ``inputs`` Tensor and ``data_samples`` list.

    Raises:
        ValueError: If the batch mixes pairs and single items or is empty.
    """
    if not data_batch:
        raise ValueError('pair_collate got an empty batch.')
    ndims = {item['inputs'].ndim for item in data_batch}
    if len(ndims) != 1:
        raise ValueError('pair_collate got a batch mixing pairs and single '
                         'images; use one PackDeepfakeInputs(pair=...) '
                         'setting per dataset.')
    if ndims == {3}:
        return dict(
            inputs=torch.stack([item['inputs'] for item in data_batch]),
            data_samples=[item['data_samples'] for item in data_batch])
    inputs = torch.cat([item['inputs'] for item in data_batch])
    samples: List = [s for item in data_batch for s in item['data_samples']]
    if len(samples) != len(inputs):
        raise ValueError(f'pair_collate: {len(inputs)} images but '
                         f'{len(samples)} data samples.')
    perm = torch.randperm(len(inputs))
    return dict(
        inputs=inputs[perm], data_samples=[samples[i] for i in perm.tolist()])
