# Copyright (c) laanet contributors. All rights reserved.
"""A collated batch of clips with FakeSTormer's targets."""
from typing import Optional

import numpy as np
import torch

from laanet.structures import DeepfakeDataSample


def get_packed_clips(batch_size: int = 2,
                     img_size: int = 64,
                     num_frames: int = 4,
                     grid: Optional[int] = None,
                     seed: Optional[int] = 0) -> dict:
    """A clip batch like the pair collate returns (real, fake, real, ...).

    Fakes get standard-normal heatmaps (the z-scored temporal targets),
    reals the constant −μ/σ-like value −0.5; every sample a 0/1
    ``heatmap_mask`` with about 2 % masked cells and per-frame targets
    ``gt_frame_scores`` (fakes in [0.5, 1], reals 0).

    Args:
        batch_size (int): Clips. Defaults to 2.
        img_size (int): Square frame size. Defaults to 64.
        num_frames (int): T. Defaults to 4.
        grid (int, optional): Target side. Defaults to ``img_size // 16``.
        seed (int, optional): Seed. Defaults to 0.

    Returns:
        dict: ``inputs`` (uint8 BGR, (N, 3, T, S, S)) and
        ``data_samples``.
    """
    rng = np.random.default_rng(seed)
    grid = grid or img_size // 16
    inputs = torch.from_numpy(
        rng.integers(
            0, 256, (batch_size, 3, num_frames, img_size, img_size),
            dtype=np.uint8))
    shape = (num_frames, grid, grid)
    samples = []
    for i in range(batch_size):
        label = i % 2
        sample = DeepfakeDataSample().set_gt_label(label)
        sample.set_metainfo(
            dict(
                video_id=f'synthetic/{i // 2:03d}',
                frame_idx=0,
                frame_indices=list(range(num_frames)),
                img_path=[f'synthetic/{i:04d}/{t}.png'
                          for t in range(num_frames)]))
        heatmap = (rng.standard_normal(shape) if label else np.full(
            shape, -0.5))
        sample.set_gt_field('heatmap', heatmap.astype(np.float32))
        sample.set_gt_field('heatmap_mask',
                            (rng.random(shape) > 0.02).astype(np.float32))
        scores = rng.uniform(0.5, 1, num_frames) if label else np.zeros(
            num_frames)
        sample.set_field(
            torch.from_numpy(scores.astype(np.float32)),
            'gt_frame_scores',
            dtype=torch.Tensor)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)
