# Copyright (c) laanet contributors. All rights reserved.
"""Which videos make up each dataset, with labels and unique ids.

Owns the layout of every supported dataset on disk (FF++, DFD, Celeb-DF
v1/v2, DFDC, DFDCP, DFW, and generic folders): one listing function per
dataset over the shared :class:`VideoItem`. (About 450 lines: the six
listings are short and read best side by side; split it into one module
per dataset when a seventh arrives.)

Every function returns a list of :class:`VideoItem`. A missing or
malformed split/label file raises :class:`SplitFileError` before any work
starts; a video that the split file names but that is missing on disk is
kept, so the extraction reports it by name.
"""
import csv
import json
import os
import os.path as osp
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional, Sequence

from laanet.utils.media import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS

FFPP_MANIPULATIONS = ('Deepfakes', 'Face2Face', 'FaceSwap', 'NeuralTextures')
FFPP_COMPRESSIONS = ('raw', 'c23', 'c40')


class SplitFileError(ValueError):
    """A split or label file is missing or malformed."""


@dataclass
class VideoItem:
    """One video to extract.

    Attributes:
        video_path (str): The video file.
        video_id (str): Unique id across the dataset, e.g.
            ``'Deepfakes/000_003'``.
        rel_dir (str): Output folder of its frames, relative to the output
            directory.
        label (int): 0 real, 1 fake.
        manipulation (str): ``'original'``, ``'Deepfakes'``, ...
        mask_path (str, optional): The mask video, when there is one.
    """
    video_path: str
    video_id: str
    rel_dir: str
    label: int
    manipulation: str
    mask_path: Optional[str] = None

    def to_dict(self) -> dict:
        """Return the fields as a dict."""
        return asdict(self)


def list_video_files(video_dir: str) -> List[str]:
    """Video files directly inside a folder, sorted by name.

    Args:
        video_dir (str): The folder.

    Returns:
        list[str]: Paths of files with a known video extension.

    Raises:
        SplitFileError: If the folder does not exist.
    """
    if not osp.isdir(video_dir):
        raise SplitFileError(f'Video folder not found: {video_dir}')
    return [
        osp.join(video_dir, f) for f in sorted(os.listdir(video_dir))
        if f.lower().endswith(VIDEO_EXTENSIONS)
    ]


def _stem(path: str) -> str:
    return osp.splitext(osp.basename(path))[0]


def _check_unique(items: List[VideoItem]) -> List[VideoItem]:
    seen: Dict[str, str] = {}
    for it in items:
        if it.video_id in seen:
            raise SplitFileError(
                f'Two videos map to the same id {it.video_id!r}: '
                f'{seen[it.video_id]} and {it.video_path}')
        seen[it.video_id] = it.video_path
    return items


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
    names = sorted({f'{a}_{b}' for a, b in pairs}
                   | {f'{b}_{a}' for a, b in pairs})
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
                VideoItem(osp.join(vdir, row['filename']), vid, vid, lab,
                          sub))
    return _check_unique(sorted(items, key=lambda it: it.video_id))


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


def list_image_sequences(root: str) -> List[str]:
    """Leaf folders under ``root`` that hold images, sorted.

    Args:
        root (str): Folder to search.

    Returns:
        list[str]: Folders (relative to ``root``) with at least one image.
    """
    seqs = []
    for dirpath, _, files in os.walk(root):
        if any(f.lower().endswith(IMAGE_EXTENSIONS) for f in files):
            seqs.append(osp.relpath(dirpath, root).replace(os.sep, '/'))
    return sorted(seqs)


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
