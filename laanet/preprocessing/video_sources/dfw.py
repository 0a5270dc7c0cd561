# Copyright (c) laanet contributors. All rights reserved.
"""WildDeepfake (DFW): face image sequences, not videos."""
import os.path as osp
from typing import List

from .common import (SplitFileError, VideoItem, _check_unique, _stem,
                     list_image_sequences, list_video_files)


def dfw_videos(root: str, split: str = 'test') -> List[VideoItem]:
    """WildDeepfake (DFW).

    Layout: ``root/real_<split>/`` and ``root/fake_<split>/``. DFW ships
    face image sequences (already cropped): every folder below them that
    holds images is one "video", whose frames are sampled and resized
    without detection. Video files there are extracted like any other
    video. Frames go to ``<out>/{real,fake}_<split>/<sequence path>/``.

    Args:
        root (str): DFW root.
        split (str): ``'test'`` or ``'train'``. Defaults to ``'test'``.

    Returns:
        list[VideoItem]: The videos and image sequences.
    """
    items = []
    for sub, lab in ((f'real_{split}', 0), (f'fake_{split}', 1)):
        base = osp.join(root, sub)
        for p in list_video_files(base):
            vid = f'{sub}/{_stem(p)}'
            items.append(VideoItem(p, vid, vid, lab, sub))
        for rel in list_image_sequences(base):
            if rel == '.':
                raise SplitFileError(
                    f'{base} holds images directly: put each sequence in '
                    'its own folder')
            vid = f'{sub}/{rel}'
            items.append(VideoItem(osp.join(base, rel), vid, vid, lab, sub))
    return _check_unique(items)
