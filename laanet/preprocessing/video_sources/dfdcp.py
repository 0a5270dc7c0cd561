# Copyright (c) laanet contributors. All rights reserved.
"""The DFDC preview (DFDCP), the "DFDC" of the LAA-Net paper."""
import json
import os
import os.path as osp
from typing import List, Optional

from .common import SplitFileError, VideoItem, _check_unique


def dfdcp_videos(root: str,
                 split: str = 'test',
                 json_file: Optional[str] = None) -> List[VideoItem]:
    """The DFDC preview (DFDCP), the "DFDC" of the LAA-Net paper.

    ``root/dataset.json`` maps each video path (relative to ``root``,
    starting with ``method_A``, ``method_B`` or ``original_videos``) to
    ``{"label": "real"|"fake", "set": "train"|"test", ...}``. Frames go to
    ``<out>/<path without extension>/``, which is also the video id.

    Args:
        root (str): DFDCP root.
        split (str): The ``set`` to keep. Defaults to ``'test'``.
        json_file (str, optional): Defaults to ``root/dataset.json``.

    Returns:
        list[VideoItem]: The videos.
    """
    json_file = json_file or osp.join(root, 'dataset.json')
    if not osp.isfile(json_file):
        raise SplitFileError(f'DFDCP dataset.json not found: {json_file}')
    try:
        with open(json_file, encoding='utf-8') as f:
            meta = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SplitFileError(f'{json_file} is not valid JSON: {e}') from e
    if not isinstance(meta, dict):
        raise SplitFileError(f'{json_file} must map video paths to info')
    items = []
    for rel in sorted(meta):
        info = meta[rel]
        if not isinstance(info, dict) or info.get('label') not in (
                'real', 'fake') or 'set' not in info:
            raise SplitFileError(
                f'{json_file}: entry {rel!r} needs "label" (real|fake) and '
                f'"set", got {info!r}')
        if info['set'] != split:
            continue
        vid = osp.splitext(rel)[0].replace(os.sep, '/')
        items.append(
            VideoItem(
                osp.join(root, rel), vid, vid, int(info['label'] == 'fake'),
                vid.split('/', 1)[0]))
    return _check_unique(items)
