# Copyright (c) laanet contributors. All rights reserved.
"""Google's DeepFakeDetection (DFD), shipped with FF++."""
import os.path as osp
from typing import List

from .common import VideoItem, _check_unique, _stem, list_video_files


def dfd_videos(root: str,
               compression: str = 'raw',
               with_masks: bool = False) -> List[VideoItem]:
    """Google's DeepFakeDetection (DFD), shipped with FF++.

    Layout: ``root/original_sequences/actors/<comp>/videos`` (real) and
    ``root/manipulated_sequences/DeepFakeDetection/<comp>/videos`` (fake).
    Frames go to ``<out>/DeepFakeDetection_original/<stem>/`` and
    ``<out>/DeepFakeDetection/<stem>/``.

    Args:
        root (str): FF++ download root.
        compression (str): ``'raw'``, ``'c23'`` or ``'c40'``.
        with_masks (bool): Attach the mask videos. Defaults to False.

    Returns:
        list[VideoItem]: The videos.
    """
    real_dir = osp.join(root, 'original_sequences', 'actors', compression,
                        'videos')
    fake_root = osp.join(root, 'manipulated_sequences', 'DeepFakeDetection')
    items = []
    for p in list_video_files(real_dir):
        rel = f'DeepFakeDetection_original/{_stem(p)}'
        items.append(VideoItem(p, rel, rel, 0, 'DeepFakeDetection_original'))
    for p in list_video_files(osp.join(fake_root, compression, 'videos')):
        rel = f'DeepFakeDetection/{_stem(p)}'
        mask = osp.join(fake_root, 'masks', 'videos',
                        osp.basename(p)) if with_masks else None
        items.append(VideoItem(p, rel, rel, 1, 'DeepFakeDetection', mask))
    return _check_unique(items)
