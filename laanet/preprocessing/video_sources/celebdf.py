# Copyright (c) laanet contributors. All rights reserved.
"""Celeb-DF v1 or v2."""
import os.path as osp
from typing import List, Optional

from .common import (SplitFileError, VideoItem, _check_unique, _stem,
                     list_video_files)


def celebdf_videos(root: str,
                   split: str = 'test',
                   list_file: Optional[str] = None) -> List[VideoItem]:
    """Celeb-DF v1 or v2.

    ``List_of_testing_videos.txt`` lines read ``<label> <type>/<file>``
    with label 1 = real and 0 = fake (every line is read; the official
    loader drops the first one as a CSV header). ``split='test'`` gives
    the listed videos, ``'train'`` the others. Videos are looked up at
    ``root/<type>/<file>`` and ``root/<type>/videos/<file>``. Frames go to
    ``<out>/<type>/<stem>/``; types are ``Celeb-real``, ``YouTube-real``
    and ``Celeb-synthesis`` (fake).

    Args:
        root (str): Celeb-DF root.
        split (str): ``'test'`` or ``'train'``. Defaults to ``'test'``.
        list_file (str, optional): Defaults to
            ``root/List_of_testing_videos.txt``.

    Returns:
        list[VideoItem]: The videos.
    """
    list_file = list_file or osp.join(root, 'List_of_testing_videos.txt')
    if not osp.isfile(list_file):
        raise SplitFileError(f'Celeb-DF test list not found: {list_file}')
    listed = {}
    with open(list_file, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 2 or parts[0] not in ('0', '1') or \
                    '/' not in parts[1]:
                raise SplitFileError(
                    f'{list_file}:{n}: expected "<0|1> <type>/<file>", '
                    f'got {line.strip()!r}')
            listed[parts[1]] = 1 - int(parts[0])
    types = ('Celeb-real', 'YouTube-real', 'Celeb-synthesis')

    def locate(rel: str) -> str:
        typ, name = rel.split('/', 1)
        direct = osp.join(root, typ, name)
        nested = osp.join(root, typ, 'videos', name)
        return nested if not osp.exists(direct) and osp.exists(
            nested) else direct

    items = []
    if split == 'test':
        rels = sorted(listed)
    elif split == 'train':
        rels = []
        for typ in types:
            d = osp.join(root, typ)
            if osp.isdir(osp.join(d, 'videos')):
                d = osp.join(d, 'videos')
            if osp.isdir(d):
                rels += [
                    f'{typ}/{osp.basename(p)}' for p in list_video_files(d)
                ]
        if not rels:
            raise SplitFileError(f'No Celeb-DF video folder ({types}) '
                                 f'under {root}')
        rels = sorted(r for r in rels if r not in listed)
    else:
        raise SplitFileError(f"Celeb-DF split must be 'test' or 'train', "
                             f'got {split!r}')
    for rel in rels:
        typ = rel.split('/', 1)[0]
        label = listed.get(rel, int(typ == 'Celeb-synthesis'))
        vid = f'{typ}/{_stem(rel)}'
        items.append(VideoItem(locate(rel), vid, vid, label, typ))
    return _check_unique(items)
