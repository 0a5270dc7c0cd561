# Copyright (c) laanet contributors. All rights reserved.
"""The DFDC test set (the full Kaggle challenge data, not DFDCP)."""
import csv
import os.path as osp
from typing import List, Optional

from .common import SplitFileError, VideoItem, _check_unique, _stem


def dfdc_videos(root: str,
                labels_file: Optional[str] = None) -> List[VideoItem]:
    """The DFDC test set (the full Kaggle challenge data, not DFDCP).

    Layout: ``root/labels.csv`` (columns ``filename`` and ``label``, 1 =
    fake) and the videos in ``root/videos/`` or ``root/``. Frames go to
    ``<out>/{fake,real}/<stem>/``.

    Args:
        root (str): DFDC test folder.
        labels_file (str, optional): Defaults to ``root/labels.csv``.

    Returns:
        list[VideoItem]: The videos.
    """
    labels_file = labels_file or osp.join(root, 'labels.csv')
    if not osp.isfile(labels_file):
        raise SplitFileError(f'DFDC labels file not found: {labels_file}')
    vdir = osp.join(root, 'videos')
    vdir = vdir if osp.isdir(vdir) else root
    items = []
    with open(labels_file, encoding='utf-8', newline='') as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {'filename', 'label'} <= set(
                reader.fieldnames):
            raise SplitFileError(
                f'{labels_file} must have the columns filename and label, '
                f'got {reader.fieldnames}')
        for n, row in enumerate(reader, 2):
            if row['label'] not in ('0', '1'):
                raise SplitFileError(f'{labels_file}:{n}: label must be 0 '
                                     f'or 1, got {row["label"]!r}')
            lab = int(row['label'])
            sub = 'fake' if lab else 'real'
            vid = f'{sub}/{_stem(row["filename"])}'
            items.append(
                VideoItem(osp.join(vdir, row['filename']), vid, vid, lab, sub))
    return _check_unique(sorted(items, key=lambda it: it.video_id))
