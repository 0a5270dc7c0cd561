# Copyright (c) laanet contributors. All rights reserved.
"""Letterbox warp of every frame of a clip and of its boundary maps."""
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from .functional.views import view_suffixes
from .functional.warp_utils import letterbox_matrix


@TRANSFORMS.register_module()
class ClipLetterboxWarp(BaseTransform):
    """Warp a clip's frames to ``input_size`` and its boundary maps to
    ``heatmap_size``.

    The official corner-aligned letterbox (:func:`~.letterbox_matrix`,
    float32 geometry as the official code builds it): for a square crop of
    side s, ``x' = x·(S − 1)/(s − 1)``, e.g. 226 → 224 at 223/225 and
    226 → 14 at 13/225. Frames and maps are warped bilinearly with a zero
    border; a map keeps its dtype, so the uint8 boundary map is warped as
    uint8 (OpenCV rounds), as in FakeSTormer (the 14 × 14 map point-samples
    B without a low-pass, as the official code does).

    Required Keys:

    - img (and img_fake): lists of T frames
    - boundary (and boundary_fake), optional: (T, h, w) maps

    Modified Keys:

    - img, img_fake: lists of T (H, W, 3) frames
    - boundary, boundary_fake: (T, h', w') maps
    - img_shape

    Args:
        input_size (tuple[int, int]): Output (w, h) of the frames.
            Defaults to (224, 224).
        heatmap_size (tuple[int, int]): Output (w, h) of the boundary
            maps. Defaults to (14, 14).
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (224, 224),
                 heatmap_size: Tuple[int, int] = (14, 14)) -> None:
        super().__init__()
        self.input_size = tuple(input_size)
        self.heatmap_size = tuple(heatmap_size)

    @staticmethod
    def _warp(img: np.ndarray, size: Tuple[int, int]) -> np.ndarray:
        """Letterbox one image or map to ``size = (w, h)``."""
        mat = letterbox_matrix(img.shape[:2], (size[1], size[0]))
        return cv2.warpAffine(
            img, mat, size, flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT)

    def transform(self, results: dict) -> dict:
        """Warp every frame and map of every view.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The warped result dict.
        """
        hm_w, hm_h = self.heatmap_size
        for suffix in view_suffixes(results):
            results['img' + suffix] = [
                self._warp(f, self.input_size)
                for f in results['img' + suffix]
            ]
            maps = results.get('boundary' + suffix)
            if maps is None:
                continue
            if not maps.any():  # the real clip: no warp needed
                results['boundary' + suffix] = np.zeros(
                    (len(maps), hm_h, hm_w), maps.dtype)
                continue
            results['boundary' + suffix] = np.stack(
                [self._warp(m, self.heatmap_size) for m in maps])
        results['img_shape'] = (self.input_size[1], self.input_size[0])
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size})')
