# Copyright (c) laanet contributors. All rights reserved.
"""Collate (real, fake) pairs into one shuffled batch."""
from typing import List, Sequence

import torch

from laanet.registry import FUNCTIONS
from laanet.structures.layout import is_pair_item


@FUNCTIONS.register_module()
def pair_collate(data_batch: Sequence[dict]) -> dict:
    """Flatten B packed pairs into 2B images with one joint shuffle.

    Each item comes from ``PackDeepfakeInputs(pair=True)``:
    ``inputs`` (2, 3, H, W) uint8 (or (2, 3, T, H, W) for clips) and
    ``data_samples`` [real, fake]. The result is ``inputs`` (2B, 3, H, W)
    and a list of 2B data samples, permuted jointly with one
    ``torch.randperm`` (torch's global RNG, which MMEngine seeds), so every
    label and target stays with its image. Single items (``inputs``
    (3, H, W) or (3, T, H, W), one data sample) are stacked in order. An
    item is a pair when its ``data_samples`` is a list
    (:func:`~laanet.structures.layout.is_pair_item`), never by its rank.

    Args:
        data_batch (Sequence[dict]): Items from the dataset.

    Returns:
        dict: ``inputs`` Tensor and ``data_samples`` list.

    Raises:
        ValueError: If the batch mixes pairs and single items or is empty.
    """
    if not data_batch:
        raise ValueError('pair_collate got an empty batch.')
    pairs = {is_pair_item(item) for item in data_batch}
    if len(pairs) != 1:
        raise ValueError('pair_collate got a batch mixing pairs and single '
                         'images; use one PackDeepfakeInputs(pair=...) '
                         'setting per dataset.')
    if pairs == {False}:
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
