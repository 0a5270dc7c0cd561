# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeBench's data set JSONs: schema, labels, paths and frame choice.

Pure functions behind :class:`~laanet.datasets.DeepfakeBenchDataset`,
written from the format's description (DeepfakeBench ``8a4a7bf``,
``preprocessing/rearrange.py`` and ``training/dataset/abstract_dataset.py``;
no code copied). A JSON nests, outermost first: data set name, label key,
split, the compression for the FF++ family only, then
``video -> {"label", "frames", "masks"}``.
"""
import json
import os.path as osp
import posixpath
from typing import Dict, List, Optional, Sequence

import numpy as np

# DeepfakeBench's label_dict (training/config/{train,test}_config.yaml)
DFB_LABEL_DICT = {
    'DFD_fake': 1, 'DFD_real': 0,
    'FF-SH': 1, 'FF-F2F': 1, 'FF-DF': 1, 'FF-FS': 1, 'FF-NT': 1,
    'FF-FH': 1, 'FF-real': 0,
    'CelebDFv1_real': 0, 'CelebDFv1_fake': 1,
    'CelebDFv2_real': 0, 'CelebDFv2_fake': 1,
    'DFDCP_Real': 0, 'DFDCP_FakeA': 1, 'DFDCP_FakeB': 1,
    'DFDC_Fake': 1, 'DFDC_Real': 0,
    'DF_fake': 1, 'DF_real': 0,
    'UADFV_Fake': 1, 'UADFV_Real': 0,
    'roop_Real': 0, 'roop_Fake': 1,
}  # yapf: disable

# data sets whose splits nest one more level, by compression
FFPP_FAMILY = ('FaceForensics++', 'FF-DF', 'FF-F2F', 'FF-FS', 'FF-NT',
               'DeepFakeDetection', 'FaceShifter')
COMPRESSIONS = ('raw', 'c23', 'c40')
SPLITS = ('train', 'val', 'test')
FRAME_SELECTIONS = ('deepfakebench', 'linspace')


def label_of(label_key: str, label_map: Optional[Dict[str, int]]) -> int:
    """The 0/1 label of a label key.

    Args:
        label_key (str): A JSON label key (``FF-real``, ``inswap_Fake``).
        label_map (dict, optional): Key to label; None uses
            :data:`DFB_LABEL_DICT` and DF40's rule (suffix ``_Real`` 0,
            ``_Fake`` 1).

    Returns:
        int: 0 real, 1 fake.

    Raises:
        KeyError: For an unknown key.
    """
    if label_map is not None:
        if label_key in label_map:
            return int(label_map[label_key])
        raise KeyError(f'label key {label_key!r} is not in label_map '
                       f'({sorted(label_map)})')
    if label_key in DFB_LABEL_DICT:
        return DFB_LABEL_DICT[label_key]
    if label_key.endswith('_Real'):
        return 0
    if label_key.endswith('_Fake'):
        return 1
    raise KeyError(
        f'unknown label key {label_key!r}: not in DeepfakeBench\'s '
        'label_dict and without a DF40 suffix (_Real/_Fake); pass '
        'label_map={...}')


def normalize_json_path(path: str) -> str:
    """A JSON frame path with ``/`` separators and no leading ``./``.

    Args:
        path (str): The path as written in the JSON (released JSONs use
            Windows separators).

    Returns:
        str: The normalised path (``posixpath.normpath``).
    """
    p = str(path).replace('\\', '/')
    while p.startswith('./'):
        p = p[2:]
    return posixpath.normpath(p)


def resolve_json_path(path: str,
                      data_root: str,
                      path_map: Optional[Dict[str, str]] = None) -> str:
    """Resolve a JSON path against the data root.

    Args:
        path (str): The path as written in the JSON.
        data_root (str): The folder relative paths resolve against.
        path_map (dict, optional): ``{old prefix: new prefix}`` applied
            (first match) to the normalised path, e.g. to re-root the
            absolute paths of a JSON made on another machine.

    Returns:
        str: The path to read.

    Raises:
        ValueError: If a relative path escapes ``data_root`` (``..``).
    """
    p = normalize_json_path(path)
    for old, new in (path_map or {}).items():
        old = normalize_json_path(old)
        if p == old or p.startswith(old.rstrip('/') + '/'):
            p = posixpath.normpath(new.replace('\\', '/') + p[len(old):])
            break
    if posixpath.isabs(p):
        return p
    if p == '..' or p.startswith('../'):
        raise ValueError(f'the path {path!r} escapes data_root')
    return osp.join(data_root, p) if data_root else p


def json_basename(path: str) -> str:
    """The file name of a JSON path, whatever its separators."""
    return normalize_json_path(path).rsplit('/', 1)[-1]


def dfb_video_name(path: str) -> str:
    """The video key DeepfakeBench's metric groups by: the frame's folder.

    The path is split on ``\\`` if it holds one, else on ``/``, and the
    second-to-last part is kept, as ``get_test_metrics`` does; so
    ``Deepfakes/000_003`` and ``Face2Face/000_003`` give one key.

    Args:
        path (str): The frame path as written in the JSON.

    Returns:
        str: The folder name.
    """
    parts = path.split('\\') if '\\' in path else path.split('/')
    return parts[-2] if len(parts) > 1 else ''


def frame_index(path: str) -> int:
    """The integer file name of a frame (DeepfakeBench's sort key).

    Raises:
        ValueError: If the file name is not an integer.
    """
    stem = posixpath.splitext(json_basename(path))[0]
    try:
        return int(stem)
    except ValueError:
        raise ValueError(f'the frame file name {stem!r} of {path!r} is not '
                         'an integer (DeepfakeBench sorts frames by it)')


def sibling_path(frame_path: str, folder: str, ext: str) -> str:
    """A frame's landmark or mask path: the ``frames`` folder replaced.

    Only the path component ``frames`` of the video folder is replaced
    (DeepfakeBench replaces the string anywhere in the path, which breaks
    when the root contains ``frames``).

    Args:
        frame_path (str): A normalised frame path (``/`` separators).
        folder (str): ``'landmarks'`` or ``'masks'``.
        ext (str): The new extension (``'.npy'``, ``'.png'``).

    Returns:
        str: The sibling path.

    Raises:
        ValueError: If the frame is not in a ``frames/<video>/`` folder.
    """
    parts = frame_path.split('/')
    if len(parts) < 3 or parts[-3] != 'frames':
        raise ValueError(f'{frame_path!r} is not in a frames/<video>/ '
                         'folder')
    parts[-3] = folder
    parts[-1] = posixpath.splitext(parts[-1])[0] + ext
    return '/'.join(parts)


def select_frames(num_total: int, num: Optional[int], mode: str) -> List[int]:
    """Positions of the kept frames of a video, sorted.

    Args:
        num_total (int): Frames of the video (after the integer sort).
        num (int, optional): The cap; None keeps all.
        mode (str): ``'deepfakebench'``: the first ``num`` frames, as
            DeepfakeBench's reader takes them (its step is computed after
            the total is capped, so it is 1); ``'linspace'``: ``num``
            evenly spaced frames, ``linspace(0, n-1, num)`` truncated and
            made unique.

    Returns:
        list[int]: Positions into the sorted frame list.
    """
    if mode not in FRAME_SELECTIONS:
        raise ValueError(f'frame_selection must be one of '
                         f'{FRAME_SELECTIONS}, got {mode!r}')
    if num is None or num >= num_total:
        return list(range(num_total))
    if mode == 'deepfakebench':
        return list(range(num))
    idx = np.linspace(0, num_total - 1, num).astype(int)
    return sorted(set(idx.tolist()))


def _is_video_record(value) -> bool:
    return isinstance(value, dict) and 'frames' in value


def _split_videos(node, where: str, nested: bool,
                  compression: str) -> Dict[str, dict]:
    """The ``{video: record}`` dict of one label key's split."""
    if not isinstance(node, dict):
        raise ValueError(f'{where}: expected an object, got '
                         f'{type(node).__name__}')
    if 'frames' in node and not isinstance(node['frames'], dict):
        raise ValueError(
            f'{where}: the split holds one bare record ({{"label", '
            '"frames"}}) instead of videos keyed by name. This is the '
            "known defect of DeepfakeBench's DFDC 'val' split "
            '(preprocessing/rearrange.py overwrites it for every test '
            "video); use split='test'.")
    if nested:
        if compression not in node:
            if not node:
                return {}
            raise ValueError(f'{where}: no {compression!r} level (has '
                             f'{sorted(node)})')
        node = node[compression]
        where = f'{where}[{compression!r}]'
        if not isinstance(node, dict):
            raise ValueError(f'{where}: expected an object of videos')
    for video, rec in node.items():
        if not _is_video_record(rec):
            raise ValueError(f'{where}[{video!r}]: not a video record '
                             '(an object with "frames")')
        if not isinstance(rec['frames'], list) or not all(
                isinstance(p, str) for p in rec['frames']):
            raise ValueError(f'{where}[{video!r}]["frames"]: expected a '
                             'list of path strings')
        masks = rec.get('masks', [])
        if not isinstance(masks, list) or not all(
                isinstance(p, str) for p in masks):
            raise ValueError(f'{where}[{video!r}]["masks"]: expected a '
                             'list of path strings')
    return node


def detect_nested(content: dict, split: str) -> bool:
    """Whether the splits nest by compression (the FF++ layout).

    Decided from the data, not the name: a split whose values are
    compression levels holding objects is nested; one whose values are
    video records is flat; empty splits decide nothing (flat).

    Args:
        content (dict): ``json[dataset]``.
        split (str): The split looked at first; the others decide if it
            is empty everywhere.

    Returns:
        bool: True for the nested layout.
    """
    for s in (split, ) + tuple(x for x in SPLITS if x != split):
        for node in content.values():
            node = node.get(s) if isinstance(node, dict) else None
            if not isinstance(node, dict) or not node:
                continue
            if 'frames' in node:
                continue
            values = list(node.values())
            if all(_is_video_record(v) for v in values):
                return False
            if set(node) <= set(COMPRESSIONS) and all(
                    isinstance(v, dict) and all(
                        _is_video_record(r) for r in v.values())
                    for v in values):
                return True
    return False


def read_dfb_json(json_file: str,
                  dataset_name: str,
                  split: str,
                  compression: str = 'c23',
                  label_keys: Optional[Sequence[str]] = None) -> dict:
    """Read and check one data set of a DeepfakeBench JSON.

    Args:
        json_file (str): The JSON.
        dataset_name (str): The data set's name in it. A ``*_c40`` name
            reads the base name's entry at ``c40``, as DeepfakeBench does.
        split (str): ``'train'``, ``'val'`` or ``'test'``.
        compression (str): The FF++-family level. Defaults to 'c23'.
        label_keys (Sequence[str], optional): Only these label keys (e.g.
            ``['FF-real']`` for SBI training). None reads all.

    Returns:
        dict: ``nested`` (bool), ``compression`` (the level read) and
        ``videos``: a list of ``(label_key, video, record)`` in JSON
        order.

    Raises:
        FileNotFoundError: If the JSON is missing.
        ValueError: Naming the file and the entry, for a malformed JSON.
    """
    if split not in SPLITS:
        raise ValueError(f'split must be one of {SPLITS}, got {split!r}')
    if compression not in COMPRESSIONS:
        raise ValueError(f'compression must be one of {COMPRESSIONS}, got '
                         f'{compression!r}')
    if not osp.isfile(json_file):
        raise FileNotFoundError(f'DeepfakeBench JSON not found: {json_file}')
    try:
        with open(json_file, encoding='utf-8') as f:
            data = json.load(f)
    except json.JSONDecodeError as err:
        raise ValueError(f'{json_file} is not valid JSON: {err}') from err
    name = dataset_name
    if name not in data and name.endswith('_c40'):
        name, compression = name[:-len('_c40')], 'c40'
    if not isinstance(data, dict) or name not in data:
        keys = sorted(data) if isinstance(data, dict) else []
        raise ValueError(f'{json_file} has no data set {dataset_name!r} '
                         f'(top-level keys: {keys})')
    content = data[name]
    if not isinstance(content, dict) or not content:
        raise ValueError(f'{json_file}: [{name!r}] holds no label keys (an '
                         'empty DeepfakeBench JSON)')
    wanted = list(content) if label_keys is None else list(label_keys)
    missing = [k for k in wanted if k not in content]
    if missing:
        raise ValueError(f'{json_file}: [{name!r}] has no label key(s) '
                         f'{missing} (has {sorted(content)})')
    nested = detect_nested(content, split)
    videos = []
    for key in wanted:
        node = content[key]
        where = f'{json_file}: [{name!r}][{key!r}]'
        if not isinstance(node, dict) or split not in node:
            raise ValueError(f'{where} has no {split!r} split')
        recs = _split_videos(node[split], f'{where}[{split!r}]', nested,
                             compression)
        videos += [(key, video, rec) for video, rec in recs.items()]
    return dict(nested=nested, compression=compression, videos=videos)
