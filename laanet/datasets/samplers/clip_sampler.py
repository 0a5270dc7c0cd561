# Copyright (c) laanet contributors. All rights reserved.
"""Consecutive-frame clips, re-chunked with a new offset every epoch."""
import math
from typing import Iterator, List, Optional, Sized

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from laanet.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class ClipSampler(Sampler):
    """The non-overlapping clips of every video, re-chunked per epoch.

    For a dataset in clip mode (``DeepfakeDataset(clip_len=T)``), as the
    official FakeSTormer training does (fakestormer-reference §4.7): at
    epoch 0 every video is cut into ``T``-frame chunks from frame 0; at
    every later epoch (with ``redraw_offsets``) each video gets one start
    offset in ``{0, ..., T - 2}`` (the official
    ``np.random.randint(0, T - 1)``: never ``T - 1``), drawn in video order
    from ``np.random.RandomState(seed + epoch)`` (the official code seeds
    numpy's global RNG with ``317 + epoch`` first), and is re-chunked from
    there; incomplete tails are dropped, so the epoch length can change.
    It yields clip keys ``(video, start)`` that the dataset loads; the
    epoch's list is shuffled with a generator seeded by
    ``(seed, epoch)``.

    Distributed like MMEngine's ``DefaultSampler``: all ranks draw the
    same epoch list, pad it to a multiple of the world size
    (``round_up``) and take every ``world_size``-th key. :meth:`set_epoch`
    (called by MMEngine's ``DistSamplerSeedHook``) also logs the failures
    the dataset resampled in the previous epoch, as
    :class:`VideoFrameSampler` does.

    Args:
        dataset (Sized): A dataset in clip mode (with ``clip_index``).
        shuffle (bool): Shuffle the epoch list. Defaults to True.
        seed (int, optional): Random seed; None syncs a random one across
            ranks. The official seed is 317. Defaults to None.
        redraw_offsets (bool): Re-chunk with new offsets from epoch 1 on
            (official); False keeps the epoch-0 chunks. Defaults to True.
        round_up (bool): Pad to a multiple of the world size. Defaults to
            True.
    """

    def __init__(self,
                 dataset: Sized,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 redraw_offsets: bool = True,
                 round_up: bool = True) -> None:
        if getattr(dataset, 'clip_len', None) is None:
            raise ValueError(
                'ClipSampler needs a dataset in clip mode, e.g. '
                "dict(type='DeepfakeDataset', clip_len=4, ...); got "
                f'{type(dataset).__name__} without clip_len')
        rank, world_size = get_dist_info()
        self.rank = rank
        self.world_size = world_size
        self.dataset = dataset
        self.index = dataset.clip_index
        self.shuffle = shuffle
        self.seed = sync_random_seed() if seed is None else seed
        self.redraw_offsets = redraw_offsets
        self.round_up = round_up
        self.epoch = 0
        self._set_sizes(len(self.epoch_keys(0)))

    def _set_sizes(self, epoch_size: int) -> None:
        """Per-rank and total sizes of an epoch of ``epoch_size`` clips."""
        self.epoch_size = epoch_size
        if self.round_up:
            self.num_samples = math.ceil(epoch_size / self.world_size)
            self.total_size = self.num_samples * self.world_size
        else:
            self.num_samples = math.ceil(
                (epoch_size - self.rank) / self.world_size)
            self.total_size = epoch_size

    def offsets(self, epoch: int) -> List[int]:
        """The chunk start of every video in ``epoch``.

        Args:
            epoch (int): The epoch.

        Returns:
            list[int]: One offset per video.
        """
        n = self.index.num_videos
        if epoch == 0 or not self.redraw_offsets:
            return [0] * n
        high = max(self.index.clip_len - 1, 1)
        rs = np.random.RandomState(self.seed + epoch)
        return [int(rs.randint(0, high)) for _ in range(n)]

    def epoch_keys(self, epoch: int) -> List[tuple]:
        """The full (all-rank) clip-key list of an epoch.

        Args:
            epoch (int): The epoch.

        Returns:
            list[tuple[int, int]]: ``(video, start)`` keys.
        """
        keys = self.index.chunks(self.offsets(epoch))
        if self.shuffle:
            rng = np.random.default_rng([self.seed, epoch])
            keys = [keys[i] for i in rng.permutation(len(keys))]
        return keys

    def __iter__(self) -> Iterator[tuple]:
        """Iterate over this rank's clip keys of the current epoch."""
        keys = self.epoch_keys(self.epoch)
        if self.round_up and len(keys) < self.total_size:
            reps = math.ceil(self.total_size / max(len(keys), 1))
            keys = (keys * reps)[:self.total_size]
        return iter(keys[self.rank:self.total_size:self.world_size])

    def __len__(self) -> int:
        """Number of keys this rank yields in the current epoch."""
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Move to ``epoch``: re-chunk the videos.

        Args:
            epoch (int): The epoch about to start.
        """
        if epoch != self.epoch and hasattr(self.dataset, 'log_failed_count'):
            self.dataset.log_failed_count(self.epoch)
        self.epoch = epoch
        self._set_sizes(len(self.index.chunks(self.offsets(epoch))))
