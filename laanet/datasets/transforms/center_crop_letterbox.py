# Copyright (c) laanet contributors. All rights reserved.
"""Test-time face preprocessing: margin crop, then letterbox resize.

Owns :class:`CenterCropLetterbox`; the letterbox geometry itself is
:func:`~laanet.datasets.transforms.functional.warp_utils.letterbox_matrix`,
shared with the training warp :class:`LetterboxWarp`.
"""
from typing import Sequence, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from .functional.warp_utils import letterbox_matrix


@TRANSFORMS.register_module()
class CenterCropLetterbox(BaseTransform):
    """Cut a fixed margin off every side, then letterbox to a square.

    The official evaluation does ``crop_by_margin(img, [5, 5])`` on the
    256x256 face crop (giving 246x246) and warps it to 384x384 with a
    letterbox affine (bilinear, black borders). Inference uses the same
    transform on its own crops.

    Required Keys:

    - img

    Modified Keys:

    - img
    - img_shape
    - landmarks (optional, mapped with the same affine)

    Added Keys:

    - letterbox_matrix (the (2, 3) affine from the input image)

    Args:
        margin (int | Sequence[int]): Pixels cut from the left/right and
            top/bottom sides, ``(mx, my)`` or one int. Defaults to 5.
        scale (int | Sequence[int]): Output ``(w, h)``. Defaults to 384.
        interpolation (str): ``'bilinear'`` or ``'nearest'``.
            Defaults to ``'bilinear'``.
    """

    _INTERP = dict(bilinear=cv2.INTER_LINEAR, nearest=cv2.INTER_NEAREST)

    def __init__(self,
                 margin: Union[int, Sequence[int]] = 5,
                 scale: Union[int, Sequence[int]] = 384,
                 interpolation: str = 'bilinear') -> None:
        self.margin = (margin, margin) if isinstance(margin, int) else tuple(
            margin)
        self.scale = (scale, scale) if isinstance(scale, int) else tuple(
            scale)
        if len(self.margin) != 2 or min(self.margin) < 0:
            raise ValueError(f'margin must be >= 0 (mx, my), got {margin}')
        if len(self.scale) != 2 or min(self.scale) < 1:
            raise ValueError(f'scale must be positive (w, h), got {scale}')
        if interpolation not in self._INTERP:
            raise ValueError(f'interpolation must be one of '
                             f'{list(self._INTERP)}, got {interpolation!r}')
        self.interpolation = interpolation

    def transform(self, results: dict) -> dict:
        """Crop and letterbox ``results['img']``.

        Args:
            results (dict): Needs ``img``.

        Returns:
            dict: The updated results.
        """
        img = results['img']
        h, w = img.shape[:2]
        mx, my = self.margin
        if 2 * mx >= w or 2 * my >= h:
            raise ValueError(
                f'margin {self.margin} leaves nothing of a {w}x{h} image '
                f'({results.get("img_path", "")})')
        crop = img[my:h - my, mx:w - mx]
        dw, dh = self.scale
        mat = letterbox_matrix(crop.shape[:2], (dh, dw))
        out = cv2.warpAffine(
            crop, mat, (dw, dh), flags=self._INTERP[self.interpolation],
            borderMode=cv2.BORDER_CONSTANT, borderValue=0)
        full = mat.copy()
        full[:, 2] -= mat[:, :2] @ np.array([mx, my], dtype=np.float64)
        results['img'] = out
        results['img_shape'] = out.shape[:2]
        results['letterbox_matrix'] = full
        lms = results.get('landmarks')
        if lms is not None:
            lms = np.asarray(lms, dtype=np.float64).reshape(-1, 2)
            results['landmarks'] = (lms @ full[:, :2].T +
                                    full[:, 2]).astype(np.float32)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(margin={self.margin}, '
                f'scale={self.scale}, interpolation={self.interpolation!r})')
