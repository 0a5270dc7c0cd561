# Copyright (c) laanet contributors. All rights reserved.
"""The distributed part shared by the samplers that draw an epoch list."""
import abc
import math
from typing import Iterator, List, Sized

from mmengine.dist import get_dist_info
from torch.utils.data import Sampler


class EpochListSampler(Sampler, metaclass=abc.ABCMeta):
    """A sampler whose subclass draws the full index list of each epoch.

    Distributed like MMEngine's ``DefaultSampler``: all ranks draw the same
    epoch list (:meth:`epoch_indices`), pad it to a multiple of the world
    size (``round_up``) and take every ``world_size``-th index.
    :meth:`set_epoch` (called by MMEngine's ``DistSamplerSeedHook``) moves
    to an epoch and logs the number of samples the dataset resampled after
    a failure in the previous one, when the dataset counts them
    (``DeepfakeDataset(resample_failed=True)``).

    Args:
        dataset (Sized): The dataset.
        round_up (bool): Pad to a multiple of the world size.
    """

    def __init__(self, dataset: Sized, round_up: bool) -> None:
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.round_up = round_up
        self.epoch = 0

    @abc.abstractmethod
    def epoch_indices(self, epoch: int) -> List:
        """The full (all-rank) index list of an epoch.

        Args:
            epoch (int): The epoch.

        Returns:
            list: ``epoch_size`` dataset indices (or clip keys).
        """

    def _set_sizes(self, epoch_size: int) -> None:
        """Per-rank and total sizes of an epoch of ``epoch_size`` items."""
        self.epoch_size = epoch_size
        if self.round_up:
            self.num_samples = math.ceil(epoch_size / self.world_size)
            self.total_size = self.num_samples * self.world_size
        else:
            self.num_samples = math.ceil(
                (epoch_size - self.rank) / self.world_size)
            self.total_size = epoch_size

    def __iter__(self) -> Iterator:
        """Iterate over this rank's indices of the current epoch."""
        indices = self.epoch_indices(self.epoch)
        if self.round_up and len(indices) < self.total_size:
            reps = math.ceil(self.total_size / max(len(indices), 1))
            indices = (indices * reps)[:self.total_size]
        return iter(indices[self.rank:self.total_size:self.world_size])

    def __len__(self) -> int:
        """Number of indices this rank yields per epoch."""
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Move to ``epoch``: the next iteration draws its list.

        Args:
            epoch (int): The epoch about to start.
        """
        if epoch != self.epoch and hasattr(self.dataset, 'log_failed_count'):
            self.dataset.log_failed_count(self.epoch)
        self.epoch = epoch
