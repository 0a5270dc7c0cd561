# Copyright (c) laanet contributors. All rights reserved.
"""A tiny synthetic video dataset for engine tests."""
import numpy as np
import torch
from torch.utils.data import Dataset

from laanet.registry import DATASETS
from laanet.structures import DeepfakeDataSample


@DATASETS.register_module()
class ToyDeepfakeDataset(Dataset):
    """Synthetic faces: fakes carry a bright square, reals do not.

    Items are ``dict(inputs=<uint8 (3, H, W) BGR>, data_samples=<sample>)``
    with ``gt_label``, ``video_id``, ``frame_idx``, ``manipulation``,
    ``img_path`` and, when ``with_heatmap``, ``gt_fields.heatmap``: what
    the real test pipeline packs. Videos alternate real / fake, the fakes
    alternate ``Deepfakes`` / ``FaceSwap``.

    Args:
        num_videos (int): Number of videos. Defaults to 8.
        frames_per_video (int): Frames per video. Defaults to 3.
        img_size (int): Image side. Defaults to 16.
        seed (int): Seed of the (fixed) images. Defaults to 0.
        with_heatmap (bool): Add a GT heatmap. Defaults to True.
    """

    METAINFO = dict(classes=('real', 'fake'))

    def __init__(self,
                 num_videos: int = 8,
                 frames_per_video: int = 3,
                 img_size: int = 16,
                 seed: int = 0,
                 with_heatmap: bool = True) -> None:
        self.num_videos = num_videos
        self.frames_per_video = frames_per_video
        self.img_size = img_size
        self.with_heatmap = with_heatmap
        rng = np.random.default_rng(seed)
        n = num_videos * frames_per_video
        self.images = rng.integers(
            0, 128, (n, 3, img_size, img_size), dtype=np.uint8)
        self.labels = [(i // frames_per_video) % 2 for i in range(n)]
        q = img_size // 4
        for i, label in enumerate(self.labels):
            if label:
                self.images[i, :, q:3 * q, q:3 * q] += 100
        self.metainfo = dict(self.METAINFO)

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, idx: int) -> dict:
        video = idx // self.frames_per_video
        label = self.labels[idx]
        manipulation = 'original'
        if label:
            manipulation = ('Deepfakes', 'FaceSwap')[(video // 2) % 2]
        sample = DeepfakeDataSample().set_gt_label(label)
        sample.set_metainfo(
            dict(
                img_path=f'toy/{manipulation}/{video:03d}/{idx:04d}.png',
                video_id=f'{manipulation}/{video:03d}',
                frame_idx=idx % self.frames_per_video,
                manipulation=manipulation,
                img_shape=(self.img_size, self.img_size)))
        if self.with_heatmap:
            hm = torch.zeros(1, self.img_size // 4, self.img_size // 4)
            if label:
                hm[0, 1:3, 1:3] = 1.0
            sample.set_gt_heatmap(hm)
        return dict(
            inputs=torch.from_numpy(self.images[idx].copy()),
            data_samples=sample)
