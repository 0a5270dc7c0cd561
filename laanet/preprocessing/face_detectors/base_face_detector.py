# Copyright (c) laanet contributors. All rights reserved.
"""The interface every face detector follows."""
from abc import ABCMeta, abstractmethod
from typing import Optional

import cv2
import numpy as np


class BaseFaceDetector(metaclass=ABCMeta):
    """Image in, boxes with scores out.

    ``detector(img)`` takes a BGR uint8 image (H, W, 3) and returns a
    float32 array (K, 5) of rows ``[x0, y0, x1, y1, score]`` in the
    image's pixel coordinates, sorted by score, highest first. ``K`` may
    be 0.

    Small frames are upsampled before detection so that faces in
    low-resolution video (e.g. 176x144) are found, and very large ones can
    be downsampled for speed; boxes are mapped back to the input image.

    Args:
        min_side (int): Frames whose shorter side is below this are
            upscaled to it before detection. 0 disables. Defaults to 360.
        max_side (int, optional): Frames whose longer side is above this
            are downscaled to it. Defaults to None (never).
        score_thr (float): Boxes scoring below this are dropped (each
            detector applies it in :meth:`_detect`). Defaults to 0.
    """

    def __init__(self,
                 min_side: int = 360,
                 max_side: Optional[int] = None,
                 score_thr: float = 0.) -> None:
        if max_side is not None and max_side < min_side:
            raise ValueError(f'max_side ({max_side}) must be >= min_side '
                             f'({min_side})')
        self.min_side = min_side
        self.max_side = max_side
        self.score_thr = score_thr

    def _scale_factor(self, h: int, w: int) -> float:
        """Factor the image is resized by before detection."""
        if self.min_side and min(h, w) < self.min_side:
            return self.min_side / min(h, w)
        if self.max_side and max(h, w) > self.max_side:
            return self.max_side / max(h, w)
        return 1.

    def __call__(self, img: np.ndarray) -> np.ndarray:
        """Detect faces.

        Args:
            img (np.ndarray): BGR uint8 image (H, W, 3).

        Returns:
            np.ndarray: (K, 5) float32 ``[x0, y0, x1, y1, score]`` sorted
            by score descending, clipped to the image.
        """
        if not isinstance(img, np.ndarray) or img.ndim != 3 or \
                img.shape[2] != 3 or img.dtype != np.uint8:
            raise ValueError('The detector expects a BGR uint8 (H, W, 3) '
                             f'image, got {getattr(img, "shape", None)} '
                             f'{getattr(img, "dtype", type(img))}')
        h, w = img.shape[:2]
        factor = self._scale_factor(h, w)
        work = img
        if factor != 1.:
            interp = cv2.INTER_LINEAR if factor > 1 else cv2.INTER_AREA
            work = cv2.resize(
                img, (max(1, round(w * factor)), max(1, round(h * factor))),
                interpolation=interp)
        boxes = np.asarray(self._detect(work), dtype=np.float32)
        boxes = boxes.reshape(-1, 5)
        if factor != 1.:
            boxes[:, :4] /= factor
        boxes[:, [0, 2]] = boxes[:, [0, 2]].clip(0, w)
        boxes[:, [1, 3]] = boxes[:, [1, 3]].clip(0, h)
        keep = (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])
        boxes = boxes[keep]
        order = np.argsort(-boxes[:, 4], kind='stable')
        return boxes[order]

    @abstractmethod
    def _detect(self, img: np.ndarray) -> np.ndarray:
        """Detect faces in the (possibly resized) BGR image.

        Args:
            img (np.ndarray): BGR uint8 image.

        Returns:
            np.ndarray: (K, 5) rows ``[x0, y0, x1, y1, score]``.
        """

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(min_side={self.min_side}, '
                f'max_side={self.max_side}, score_thr={self.score_thr})')
