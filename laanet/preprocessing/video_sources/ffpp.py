# Copyright (c) laanet contributors. All rights reserved.
"""FaceForensics++: its official split files and its folder layout."""
import json
import os.path as osp
from typing import List, Optional, Sequence

from .common import SplitFileError, VideoItem, _check_unique

FFPP_MANIPULATIONS = ('Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures')
FFPP_COMPRESSIONS = ('raw', 'c23', 'c40')


def read_ffpp_split(split_file: str) -> List[List[str]]:
    """Read an official FF++ split file (a JSON list of id pairs).

    Args:
        split_file (str): ``train.json``, ``val.json`` or ``test.json`` from
            https://github.com/ondyari/FaceForensics/tree/master/dataset/splits

    Returns:
        list[list[str]]: Pairs such as ``['000', '003']``.

    Raises:
        SplitFileError: If the file is missing or not a list of pairs.
    """
    if not osp.isfile(split_file):
        raise SplitFileError(
            f'FF++ split file not found: {split_file}. Download train.json, '
            'val.json and test.json from the FaceForensics repository '
            '(dataset/splits) into the FF++ root.')
    try:
        with open(split_file, encoding='utf-8') as f:
            pairs = json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise SplitFileError(
            f'FF++ split file {split_file} is not valid JSON: {e}') from e
    ok = isinstance(pairs, list) and len(pairs) > 0 and all(
        isinstance(p, (list, tuple)) and len(p) == 2 and all(
            isinstance(v, str) and v for v in p) for p in pairs)
    if not ok:
        raise SplitFileError(
            f'FF++ split file {split_file} must be a non-empty JSON list of '
            '[id, id] string pairs, e.g. [["953", "974"], ...]')
    return [list(p) for p in pairs]


def ffpp_videos(root: str,
                split: str,
                compression: str = 'raw',
                manipulations: Sequence[str] = FFPP_MANIPULATIONS,
                split_file: Optional[str] = None,
                with_masks: bool = False,
                include_original: bool = True) -> List[VideoItem]:
    """FaceForensics++ originals and manipulations of one split.

    Expects the layout of the official download script under ``root``::

        root/original_sequences/youtube/<comp>/videos/000.mp4
        root/manipulated_sequences/<M>/<comp>/videos/000_003.mp4
        root/manipulated_sequences/<M>/masks/videos/000_003.mp4
        root/{train,val,test}.json

    Each pair ``[a, b]`` gives the originals ``a`` and ``b`` and the
    manipulated videos ``a_b`` and ``b_a``. Frames go to
    ``<out>/original/<id>/`` and ``<out>/<M>/<a_b>/``; video ids are
    ``original/000`` and ``Deepfakes/000_003``, unique across
    manipulations (the official loader merges them).

    Args:
        root (str): FF++ download root.
        split (str): ``'train'``, ``'val'`` or ``'test'``.
        compression (str): ``'raw'`` (c0), ``'c23'`` or ``'c40'``.
        manipulations (Sequence[str]): Manipulated sets to include.
        split_file (str, optional): Defaults to ``root/<split>.json``.
        with_masks (bool): Attach the mask videos. Defaults to False.
        include_original (bool): Include the originals. Defaults to True.

    Returns:
        list[VideoItem]: The videos.
    """
    if compression not in FFPP_COMPRESSIONS:
        raise SplitFileError(f'compression must be one of '
                             f'{FFPP_COMPRESSIONS}, got {compression!r}')
    pairs = read_ffpp_split(split_file or osp.join(root, f'{split}.json'))
    items = []
    if include_original:
        ids = sorted({v for p in pairs for v in p})
        vdir = osp.join(root, 'original_sequences', 'youtube', compression,
                        'videos')
        for vid in ids:
            items.append(
                VideoItem(
                    osp.join(vdir, f'{vid}.mp4'), f'original/{vid}',
                    f'original/{vid}', 0, 'original'))
    names = sorted({f'{a}_{b}'
                    for a, b in pairs}
                   | {f'{b}_{a}'
                      for a, b in pairs})
    for m in manipulations:
        mroot = osp.join(root, 'manipulated_sequences', m)
        for name in names:
            mask = osp.join(mroot, 'masks', 'videos',
                            f'{name}.mp4') if with_masks else None
            items.append(
                VideoItem(
                    osp.join(mroot, compression, 'videos', f'{name}.mp4'),
                    f'{m}/{name}', f'{m}/{name}', 1, m, mask))
    return _check_unique(items)
