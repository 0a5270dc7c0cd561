# Copyright (c) laanet contributors. All rights reserved.
"""SBI's face crop: the face box grown on each side, resized to a square."""
from typing import Sequence, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.registry import TRANSFORMS
from .functional.views import MASK_KEYS, describe_failure, view_suffixes

#: The crop margin of laanet's face extraction (``FACE_PREP_CFG``): the
#: face box is the centred 1 / 1.25 of an extracted crop.
EXTRACTION_MARGIN = 1.25


@TRANSFORMS.register_module()
class FaceBoxCrop(BaseTransform):
    """Cut the face box plus a margin on each side and resize it.

    SBI's crop (``crop_face(..., crop_by_bbox=True)``): each side of the
    face box ``(x0, y0, x1, y1)`` of size ``w × h`` moves out by
    ``side_margin`` times ``w`` (left, right) or ``h`` (top, bottom) — a
    fixed 1/8 at test time, a fraction drawn uniformly from ``[0.05, 0.2)``
    for each of the four sides in training — then ``y0' = max(0, int(y0 −
    top))``, ``y1' = min(H, int(y1 + bottom) + 1)`` (the same for x), and
    the window is resized to ``size`` bilinearly without keeping the
    aspect ratio. Every view of a (real, fake) pair gets the same window.

    The face box is ``face_box`` of the sample (in image pixels, written
    by ``extract_landmarks.py`` from the detector's box, and flipped by
    :class:`SelfBlend` with the image). Without it, the box is the one an
    extracted crop implies: the centred ``1 / crop_margin`` of the image
    (exact for square detector boxes such as dlib's; laanet's extraction
    window is ``crop_margin`` times the box).

    Required Keys:

    - img (and img_fake), masks if present
    - face_box (optional)

    Modified Keys:

    - img, img_fake, blend_mask, boundary_map (and ``*_fake``), img_shape,
      landmarks (if present), face_box

    Args:
        size (tuple[int, int]): Output (w, h). Defaults to (380, 380).
        side_margin (float | tuple[float, float]): The margin of each side
            as a fraction of the box's width / height: a number (test:
            0.125) or a ``(low, high)`` range drawn per side (train:
            ``(0.05, 0.2)``, i.e. SBI's ``w/4 · U(0.2, 0.8)``).
            Defaults to 0.125.
        crop_margin (float): The extraction margin that places the face
            box when a sample has no ``face_box``. Defaults to 1.25.
    """

    def __init__(self,
                 size: Tuple[int, int] = (380, 380),
                 side_margin: Union[float, Tuple[float, float]] = 0.125,
                 crop_margin: float = EXTRACTION_MARGIN) -> None:
        super().__init__()
        if isinstance(side_margin, (int, float)):
            if side_margin < 0:
                raise ValueError(
                    f'side_margin must be >= 0, got {side_margin}.')
        elif not (len(side_margin) == 2
                  and 0 <= side_margin[0] <= side_margin[1]):
            raise ValueError('side_margin must be a number or (low, high) '
                             f'with 0 <= low <= high, got {side_margin}.')
        if crop_margin < 1:
            raise ValueError(f'crop_margin must be >= 1, got {crop_margin}.')
        self.size = tuple(int(v) for v in size)
        self.side_margin = side_margin if isinstance(
            side_margin, (int, float)) else tuple(side_margin)
        self.crop_margin = crop_margin

    @cache_randomness
    def _side_margins(self) -> np.ndarray:
        """Margins (left, right, top, bottom) as box fractions."""
        if isinstance(self.side_margin, tuple):
            lo, hi = self.side_margin
            # SBI draws w0, w1, h0, h1 in this order
            return lo + np.random.rand(4) * (hi - lo)
        return np.full(4, float(self.side_margin))

    def face_box(self, results: dict) -> np.ndarray:
        """The face box ``(x0, y0, x1, y1)`` of a sample, in image pixels.

        Args:
            results (dict): The result dict.

        Returns:
            np.ndarray: The box (float64).
        """
        if results.get('face_box') is not None:
            box = np.asarray(results['face_box'], dtype=np.float64)
            if box.shape != (4, ) or not np.isfinite(box).all() or \
                    box[2] <= box[0] or box[3] <= box[1]:
                raise ValueError(
                    describe_failure(
                        results, 'face_box must be a finite (x0, y0, x1, '
                        f'y1) with x1 > x0 and y1 > y0, got {box.tolist()}'))
            return box
        h, w = results['img'].shape[:2]
        bw, bh = w / self.crop_margin, h / self.crop_margin
        return np.array([(w - bw) / 2, (h - bh) / 2, (w + bw) / 2,
                         (h + bh) / 2])

    def window(self, box: Sequence[float], margins: Sequence[float],
               shape: Tuple[int, int]) -> Tuple[int, int, int, int]:
        """SBI's rounding of the grown box, clipped to the image.

        Args:
            box (Sequence[float]): ``(x0, y0, x1, y1)``.
            margins (Sequence[float]): (left, right, top, bottom) fractions.
            shape (tuple[int, int]): Image (H, W).

        Returns:
            tuple[int, int, int, int]: ``(x0, y0, x1, y1)`` of the crop.
        """
        x0, y0, x1, y1 = box
        w, h = x1 - x0, y1 - y0
        left, right, top, bottom = margins
        img_h, img_w = shape
        return (max(0, int(x0 - w * left)), max(0, int(y0 - h * top)),
                min(img_w, int(x1 + w * right) + 1),
                min(img_h, int(y1 + h * bottom) + 1))

    def transform(self, results: dict) -> dict:
        """Crop and resize every view.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The cropped result dict.
        """
        box = self.face_box(results)
        x0, y0, x1, y1 = self.window(box, self._side_margins(),
                                     results['img'].shape[:2])
        if x1 <= x0 or y1 <= y0:
            raise ValueError(
                describe_failure(
                    results, f'the face box {box.round(1).tolist()} lies '
                    f'outside the {results["img"].shape[1]}x'
                    f'{results["img"].shape[0]} image'))
        out_w, out_h = self.size
        for suffix in view_suffixes(results):
            for key in ('img', ) + MASK_KEYS:
                if key + suffix in results:
                    results[key + suffix] = cv2.resize(
                        results[key + suffix][y0:y1, x0:x1], (out_w, out_h),
                        interpolation=cv2.INTER_LINEAR)
        scale = np.array([out_w / (x1 - x0), out_h / (y1 - y0)])
        if results.get('landmarks') is not None:
            results['landmarks'] = ((np.asarray(results['landmarks']) -
                                     (x0, y0)) * scale).astype(np.float32)
        results['face_box'] = (
            (box.reshape(2, 2) - (x0, y0)) * scale).reshape(-1).tolist()
        results['img_shape'] = (out_h, out_w)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(size={self.size}, '
                f'side_margin={self.side_margin}, '
                f'crop_margin={self.crop_margin})')
