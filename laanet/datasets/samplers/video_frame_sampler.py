# Copyright (c) laanet contributors. All rights reserved.
"""Draw N frames per video: once (official SBI) or afresh every epoch."""
from typing import List, Optional, Sized

import numpy as np
from mmengine.dist import sync_random_seed

from laanet.registry import DATA_SAMPLERS
from laanet.utils.grouping import group_indices
from laanet.utils.media import sample_frame_indices
from .epoch_list_sampler import EpochListSampler


@DATA_SAMPLERS.register_module()
class VideoFrameSampler(EpochListSampler):
    """Sample ``frames_per_video`` frames of every video.

    With ``redraw_each_epoch`` (the default, and the official BI
    behaviour) :meth:`set_epoch` (called by MMEngine's
    ``DistSamplerSeedHook`` at each epoch) draws a new subset,
    reproducibly from ``seed + epoch``. The official SBI training draws
    its subset once (its per-epoch reload is a no-op, laanet-reference §8
    item 9) and only reshuffles it: ``redraw_each_epoch=False``, which the
    SBI configs set because it decides which frames a model ever sees. A
    video with fewer frames gives all of them (or, with
    ``replacement=True``, the official ``random.choices`` draw with
    repeats).

    Distributed like MMEngine's ``DefaultSampler``: all ranks draw the
    same epoch list, pad it to a multiple of the world size
    (``round_up``) and take every ``world_size``-th index.

    At each :meth:`set_epoch` it also logs the number of samples the
    dataset resampled after a failure in the previous epoch, when the
    dataset counts them (``DeepfakeDataset(resample_failed=True)``).

    Args:
        dataset (Sized): A dataset with ``get_video_ids()`` (e.g.
            ``DeepfakeDataset``), or whose data infos have ``video_id``.
        frames_per_video (int): Frames drawn per video. Defaults to 8.
        shuffle (bool): Shuffle the epoch list. Defaults to True.
        seed (int, optional): Random seed; None syncs a random one across
            ranks. Defaults to None.
        replacement (bool): Draw with replacement (official behaviour).
            Defaults to False.
        redraw_each_epoch (bool): Draw a new frame subset every epoch;
            False keeps the epoch-0 subset and reshuffles it (official
            SBI). Defaults to True.
        round_up (bool): Pad to a multiple of the world size. Defaults to
            True.
        frame_pick (str): ``'random'`` (the draws above) or ``'even'``:
            ``frames_per_video`` evenly spaced frames of each video (in
            annotation order, ``np.linspace`` rounded), the same every
            epoch, reshuffled — the official SBI training subset
            (``init_ff``). Defaults to ``'random'``.
    """

    def __init__(self,
                 dataset: Sized,
                 frames_per_video: int = 8,
                 shuffle: bool = True,
                 seed: Optional[int] = None,
                 replacement: bool = False,
                 round_up: bool = True,
                 redraw_each_epoch: bool = True,
                 frame_pick: str = 'random') -> None:
        if frames_per_video < 1:
            raise ValueError('frames_per_video must be >= 1, got '
                             f'{frames_per_video}')
        if frame_pick not in ('random', 'even'):
            raise ValueError("frame_pick must be 'random' or 'even', got "
                             f'{frame_pick!r}')
        if frame_pick == 'even' and replacement:
            raise ValueError("frame_pick='even' draws no frames, so "
                             'replacement=True has no meaning with it')
        super().__init__(dataset, round_up)
        self.frames_per_video = frames_per_video
        self.shuffle = shuffle
        self.seed = sync_random_seed() if seed is None else seed
        self.replacement = replacement
        self.redraw_each_epoch = redraw_each_epoch
        self.frame_pick = frame_pick
        self.videos = self._group_by_video()
        if replacement:
            self._set_sizes(frames_per_video * len(self.videos))
        else:
            self._set_sizes(
                sum(min(frames_per_video, len(v)) for v in self.videos))

    def _group_by_video(self) -> List[List[int]]:
        """Dataset indices grouped by video, in first-appearance order."""
        if hasattr(self.dataset, 'get_video_ids'):
            ids = self.dataset.get_video_ids()
        else:
            ids = [
                self.dataset.get_data_info(i)['video_id']
                for i in range(len(self.dataset))
            ]
        groups = group_indices(ids)
        return list(groups.values())

    def epoch_indices(self, epoch: int) -> List[int]:
        """The full (all-rank) index list of an epoch.

        Args:
            epoch (int): The epoch.

        Returns:
            list[int]: ``epoch_size`` dataset indices.
        """
        rng = np.random.default_rng([self.seed, epoch])
        # the frame subset: this epoch's, or epoch 0's kept for the run
        pick_rng = (
            rng if self.redraw_each_epoch or epoch == 0 else
            np.random.default_rng([self.seed, 0]))
        out: List[int] = []
        for frames in self.videos:
            n = len(frames)
            if self.frame_pick == 'even':
                pick = sample_frame_indices(n, self.frames_per_video)
            elif self.replacement:
                pick = pick_rng.integers(0, n, size=self.frames_per_video)
            elif n <= self.frames_per_video:
                pick = np.arange(n)
            else:
                pick = np.sort(
                    pick_rng.choice(
                        n, size=self.frames_per_video, replace=False))
            out.extend(frames[int(p)] for p in pick)
        if self.shuffle:
            out = [out[i] for i in rng.permutation(len(out))]
        return out
