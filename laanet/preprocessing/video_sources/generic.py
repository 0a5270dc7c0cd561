# Copyright (c) laanet contributors. All rights reserved.
"""A generic folder of videos that share one label."""
from typing import List, Optional

from .common import (SplitFileError, VideoItem, _check_unique, _stem,
                     list_video_files)


def generic_videos(video_dir: str,
                   label: str,
                   manipulation: Optional[str] = None) -> List[VideoItem]:
    """A folder of videos that all share one label.

    Frames go to ``<out>/<video stem>/``.

    Args:
        video_dir (str): Folder of videos.
        label (str): ``'real'`` or ``'fake'``.
        manipulation (str, optional): Name stored in the annotation.
            Defaults to ``'original'`` for real and ``'fake'`` for fake.

    Returns:
        list[VideoItem]: One item per video.
    """
    if label not in ('real', 'fake'):
        raise SplitFileError(f"label must be 'real' or 'fake', got {label!r}")
    lab = int(label == 'fake')
    manipulation = manipulation or ('fake' if lab else 'original')
    items = [
        VideoItem(p, _stem(p), _stem(p), lab, manipulation)
        for p in list_video_files(video_dir)
    ]
    return _check_unique(items)
