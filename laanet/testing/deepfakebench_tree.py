# Copyright (c) laanet contributors. All rights reserved.
"""Write a small DeepfakeBench-format data set from the demo face.

The tree is what DeepfakeBench's ``preprocess.py``, ``rearrange.py`` and
``dataset2lmdb_test.py`` leave on disk (docs/en/user_guides/
deepfakebench_data.md), at toy size::

    <out>/rgb/<Dataset>/.../frames/<video>/NNN.png   frames (256 px, BGR)
    <out>/rgb/<Dataset>/.../landmarks/<video>/NNN.npy (81, 2) int64
    <out>/rgb/<Dataset>/.../masks/<video>/NNN.png    fakes of FF++ only
    <out>/dataset_json/<Dataset>.json
    <out>/lmdb/<Dataset>_lmdb/                       with ``lmdb=True``

Frames are shifted copies of scikit-image's astronaut face (dlib
landmarks, plus 13 forehead points drawn on an arc above the brows so that
the set has DeepfakeBench's 81 points); fakes are seeded Self-Blended
Images of it. File names are frame numbers (``000.png``, ``012.png``, ...,
not 0..N-1) and the JSON lists them shuffled, as a directory listing
would. Tests and ``tools/analysis_tools/benchmark_dataset_reading.py``
use it.
"""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import cv2
import numpy as np

from laanet.datasets.transforms import SelfBlend
from laanet.datasets.transforms.functional.landmark_utils import (
    FOREHEAD_CONTOUR_ORDER, hflip_landmarks)

FFPP_METHODS = (('FF-DF', 'Deepfakes'), ('FF-F2F', 'Face2Face'))
CELEBDF_KEYS = ('CelebDFv2_real', 'CelebDFv2_fake')


def add_forehead(lms68: np.ndarray, height: int) -> np.ndarray:
    """81 points: dlib's 68 plus 13 forehead points on an arc.

    The arc spans the jaw's ends (points 0 and 16) and rises above the
    brows by 0.8 of the brow-to-jaw-end height; its points are stored at
    the 81-point model's indices (contour order
    :data:`FOREHEAD_CONTOUR_ORDER`).

    Args:
        lms68 (np.ndarray): (68, 2) landmarks.
        height (int): Image height (points are kept at y >= 0).

    Returns:
        np.ndarray: (81, 2) float64.
    """
    lms = np.asarray(lms68, np.float64)
    left, right = lms[0], lms[16]
    centre = (left + right) / 2
    half = np.linalg.norm(right - left) / 2
    rise = (centre[1] - lms[17:27, 1].min()) * 1.8
    theta = np.linspace(np.pi, 0, 13)
    arc = np.stack([centre[0] + half * np.cos(theta),
                    np.maximum(centre[1] - rise * np.sin(theta), 0)], 1)
    out = np.zeros((81, 2))
    out[:68] = lms
    out[list(FOREHEAD_CONTOUR_ORDER)] = arc
    return np.clip(out, 0, height - 1)


def _shifted(img: np.ndarray, lms: np.ndarray, dx: int, dy: int,
             flip: bool) -> tuple:
    """The face moved by (dx, dy) (and mirrored), with its landmarks."""
    h, w = img.shape[:2]
    m = np.float32([[1, 0, dx], [0, 1, dy]])
    out = cv2.warpAffine(img, m, (w, h), borderMode=cv2.BORDER_REFLECT)
    lms = lms + [dx, dy]
    if flip:
        out = cv2.flip(out, 1)
        lms = hflip_landmarks(lms, w, exact=True)
    return out, lms


def _self_blend(img: np.ndarray, lms68: np.ndarray, seed: int) -> tuple:
    """A seeded SBI fake of a frame and its binary mask."""
    blend = SelfBlend(pair=True, hflip_prob=0.)
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        res = blend(dict(img=img.copy(), landmarks=lms68.astype(np.float32),
                         img_path='deepfakebench_tree'))
    finally:
        np.random.set_state(state)
    mask = (res['blend_mask_fake'] > 0).astype(np.uint8) * 255
    return res['img_fake'], mask


class _Writer:
    """Writes files under ``rgb/`` and remembers them for the LMDB."""

    def __init__(self, rgb: str) -> None:
        self.rgb = rgb
        self.files: List[str] = []

    def image(self, rel: str, img: np.ndarray) -> None:
        path = osp.join(self.rgb, rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        cv2.imwrite(path, img)
        self.files.append(rel)

    def landmarks(self, rel: str, lms: np.ndarray) -> None:
        path = osp.join(self.rgb, rel)
        os.makedirs(osp.dirname(path), exist_ok=True)
        # np.save of the platform int (int64 on Linux), as preprocess.py
        np.save(path, np.round(lms).astype(np.int64))
        self.files.append(rel)


def write_deepfakebench_lmdb(rgb_dir: str, files: Sequence[str],
                             lmdb_dir: str, style: str = 'linux') -> List[str]:
    """Write DeepfakeBench LMDB environments of a tree's files.

    One environment per data set folder, ``<lmdb_dir>/<Dataset>_lmdb``;
    keys ``<Dataset>\\<rest>``, ``.npy`` values without their header, as
    ``dataset2lmdb_test.py`` writes them.

    Args:
        rgb_dir (str): The folder the files are relative to.
        files (Sequence[str]): Relative ``/`` paths.
        lmdb_dir (str): Output folder.
        style (str): ``'linux'`` (``/`` after the first backslash, int64
            landmarks) or ``'windows'`` (backslashes, int32 landmarks).
            Defaults to 'linux'.

    Returns:
        list[str]: The environments written.
    """
    import lmdb
    groups: Dict[str, List[str]] = {}
    for rel in files:
        groups.setdefault(rel.split('/')[0], []).append(rel)
    envs = []
    for dataset, rels in groups.items():
        path = osp.join(lmdb_dir, f'{dataset}_lmdb')
        os.makedirs(path, exist_ok=True)
        env = lmdb.open(path, map_size=1 << 30)
        with env.begin(write=True) as txn:
            for rel in rels:
                full = osp.join(rgb_dir, rel)
                if rel.endswith('.npy'):
                    arr = np.load(full)
                    if style == 'windows':
                        arr = arr.astype(np.int32)
                    value = arr.tobytes()
                else:
                    with open(full, 'rb') as f:
                        value = f.read()
                first, _, rest = rel.partition('/')
                if style == 'windows':
                    rest = rest.replace('/', '\\')
                txn.put(f'{first}\\{rest}'.encode('utf-8'), value)
        env.close()
        envs.append(path)
    return envs


def make_deepfakebench_tree(out_dir: str,
                            layout: str = 'nested',
                            compression: str = 'c23',
                            num_videos: int = 2,
                            num_frames: int = 4,
                            frame_step: int = 7,
                            splits: Sequence[str] = ('train', 'test'),
                            backslash: bool = True,
                            lmdb: bool = False,
                            lmdb_style: str = 'linux',
                            seed: int = 0) -> dict:
    """Write a toy DeepfakeBench data set.

    ``layout='nested'`` writes ``FaceForensics++`` (label keys ``FF-real``,
    ``FF-DF``, ``FF-F2F``; every fake video name ``<i>_<j>`` exists under
    both methods, DeepfakeBench's grouping gotcha), splits nested by
    ``compression``, masks for the fakes. ``layout='flat'`` writes
    ``Celeb-DF-v2`` (``CelebDFv2_real`` / ``CelebDFv2_fake``), no masks.
    Each split gets ``num_videos`` videos per label key, different videos
    per split.

    Args:
        out_dir (str): Output folder.
        layout (str): ``'nested'`` or ``'flat'``. Defaults to 'nested'.
        compression (str): FF++ level. Defaults to 'c23'.
        num_videos (int): Videos per label key and split. Defaults to 2.
        num_frames (int): Frames per video. Defaults to 4.
        frame_step (int): Gap of the frame numbers. Defaults to 7.
        splits (Sequence[str]): Splits with videos (the others are
            empty). Defaults to ('train', 'test').
        backslash (bool): Windows separators in the JSON, as released.
            Defaults to True.
        lmdb (bool): Also write LMDB environments. Defaults to False.
        lmdb_style (str): See :func:`write_deepfakebench_lmdb`.
        seed (int): Seed of the fakes and the listing order. Defaults to 0.

    Returns:
        dict: ``rgb_dir``, ``json_file``, ``dataset_name``, ``lmdb_dir``
        (or None), ``label_keys`` and ``videos``: ``{(split, label key,
        video): [frame paths as in the JSON, by frame number]}``.
    """
    from laanet.utils.demo_media import astronaut_face_crop
    if layout not in ('nested', 'flat'):
        raise ValueError(f"layout must be 'nested' or 'flat', got {layout!r}")
    face, lms68 = astronaut_face_crop()
    rgb = osp.join(out_dir, 'rgb')
    writer = _Writer(rgb)
    rng = np.random.default_rng(seed)
    if layout == 'nested':
        name = 'FaceForensics++'
        keys = ['FF-real'] + [k for k, _ in FFPP_METHODS]
        folder = {'FF-real': f'{name}/original_sequences/youtube/'
                  f'{compression}'}
        folder.update({
            k: f'{name}/manipulated_sequences/{m}/{compression}'
            for k, m in FFPP_METHODS
        })
    else:
        name = 'Celeb-DF-v2'
        keys = list(CELEBDF_KEYS)
        folder = {keys[0]: f'{name}/Celeb-real',
                  keys[1]: f'{name}/Celeb-synthesis'}
    content = {k: {s: {} for s in ('train', 'val', 'test')} for k in keys}
    videos = {}
    sep = '\\' if backslash else '/'
    for si, split in enumerate(splits):
        for v in range(num_videos):
            n = si * num_videos + v
            for ki, key in enumerate(keys):
                fake = key not in ('FF-real', CELEBDF_KEYS[0])
                video = f'{n:03d}_{n + 1:03d}' if fake else f'{n:03d}'
                if layout == 'flat':
                    video = f'id{n}_{"fake" if fake else "real"}_{n:04d}'
                rec = dict(label=key, frames=[])
                if fake and layout == 'nested':
                    rec['masks'] = []
                for j in range(num_frames):
                    idx = j * frame_step
                    img, lms = _shifted(face, lms68, 3 * j - 4, 2 * v - 2,
                                        flip=bool(n % 2))
                    if fake:
                        img, mask = _self_blend(img, lms,
                                                seed * 1000 + 97 * n + ki)
                    base = f'{folder[key]}/%s/{video}/{idx:03d}'
                    writer.image(base % 'frames' + '.png', img)
                    writer.landmarks(base % 'landmarks' + '.npy',
                                     add_forehead(lms, img.shape[0]))
                    rec['frames'].append((base % 'frames' + '.png').replace(
                        '/', sep))
                    if 'masks' in rec:
                        mask_base = base.replace(f'/{compression}/', '/c23/')
                        writer.image(mask_base % 'masks' + '.png', mask)
                        rec['masks'].append(
                            (mask_base % 'masks' + '.png').replace('/', sep))
                videos[(split, key, video)] = list(rec['frames'])
                for field in ('frames', 'masks'):
                    if field in rec:
                        rec[field] = [
                            rec[field][i]
                            for i in rng.permutation(len(rec[field]))
                        ]
                node = content[key][split]
                if layout == 'nested':
                    node = node.setdefault(compression, {})
                node[video] = rec
    if layout == 'nested':
        for key in keys:
            for split in ('train', 'val', 'test'):
                content[key][split].setdefault(compression, {})
    json_dir = osp.join(out_dir, 'dataset_json')
    os.makedirs(json_dir, exist_ok=True)
    json_file = osp.join(json_dir, f'{name}.json')
    with open(json_file, 'w', encoding='utf-8') as f:
        json.dump({name: content}, f, indent=1)
    lmdb_dir: Optional[str] = None
    if lmdb:
        lmdb_dir = osp.join(out_dir, 'lmdb')
        write_deepfakebench_lmdb(rgb, writer.files, lmdb_dir, lmdb_style)
    return dict(
        rgb_dir=rgb,
        json_file=json_file,
        dataset_name=name,
        lmdb_dir=lmdb_dir,
        label_keys=keys,
        videos=videos)
