# Copyright (c) laanet contributors. All rights reserved.
"""Geometric augmentation shared by every view of a sample."""
from typing import Optional, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.registry import TRANSFORMS
from .functional.views import MASK_KEYS, view_suffixes


@TRANSFORMS.register_module()
class JointGeometricAug(BaseTransform):
    """Flip, then one of crop / scale / erase, identical for all views.

    LAA-Net's ``GeometryTransform``: a horizontal flip with ``flip_prob``,
    then with ``oneof_prob`` one of three members, which is then always
    applied. As in albumentations' ``OneOf`` (which the official code
    uses), the members' probabilities ``crop_prob``, ``scale_prob`` and
    ``erase_prob`` only weight the choice (all 0.5: uniform), so each
    member runs with probability ``oneof_prob / 3``:

    - a random crop of ``(1 − u)·H × (1 − v)·W``, u, v drawn from
      ``{0, 0.01, ..., crop_max_ratio − 0.01}``;
    - a random rescale by a factor in ``1 ± scale_limit`` to
      ``int(factor·size)`` (images bilinear, masks nearest);
    - random erasing (timm's algorithm, one box, up to 10 tries): a box of
      area ``U(erase_area)·h·w`` and aspect ``exp(U(log erase_aspect))``
      on an ``erase_canvas`` of h × w, kept if it is smaller than the
      canvas, at a uniform position on it, filled with 0 in images *and*
      masks. The official canvas is a fixed 257×257 whatever the image
      size (the default), so on the 206–246 px SBI crops boxes are larger
      than relative ones and partly fall outside the image;
      ``erase_canvas=None`` draws them on the actual image instead.

    The real image, the fake image and both masks of each view change
    together. The shape before augmentation is recorded so that
    :class:`LetterboxWarp` can reproduce the official centre/scale.

    Required Keys:

    - img, and for pairs img_fake
    - blend_mask, boundary_map (and ``*_fake``), if present

    Modified Keys:

    - img, img_fake, blend_mask, boundary_map, blend_mask_fake,
      boundary_map_fake, img_shape, flip

    Added Keys:

    - pre_geo_shape: (h, w) before this transform

    Args:
        flip_prob (float): Horizontal flip probability. Defaults to 0.5.
        oneof_prob (float): Probability of applying one of crop / scale /
            erase. Defaults to 0.5.
        crop_prob (float): Weight of the crop in the choice.
            Defaults to 0.5.
        crop_max_ratio (float): Exclusive upper bound of the cropped
            fraction per side. Defaults to 0.15.
        scale_prob (float): Weight of the rescale in the choice.
            Defaults to 0.5.
        scale_limit (float): Rescale factor range ``1 ± scale_limit``.
            Defaults to 0.15.
        erase_prob (float): Weight of the erasing in the choice.
            Defaults to 0.5.
        erase_area (tuple[float, float]): Box area range as a fraction of
            the canvas. Defaults to (0.02, 1 / 3).
        erase_aspect (tuple[float, float]): Box aspect range (log-uniform).
            Defaults to (0.3, 3.33).
        erase_canvas (tuple[int, int], optional): (h, w) of the canvas the
            box is drawn on; None uses the image (a deviation from the
            official fixed canvas). Defaults to (257, 257).
    """

    def __init__(self,
                 flip_prob: float = 0.5,
                 oneof_prob: float = 0.5,
                 crop_prob: float = 0.5,
                 crop_max_ratio: float = 0.15,
                 scale_prob: float = 0.5,
                 scale_limit: float = 0.15,
                 erase_prob: float = 0.5,
                 erase_area: Tuple[float, float] = (0.02, 1 / 3),
                 erase_aspect: Tuple[float, float] = (0.3, 3.33),
                 erase_canvas: Optional[Tuple[int, int]] = (257, 257)
                 ) -> None:
        super().__init__()
        self.flip_prob = flip_prob
        self.oneof_prob = oneof_prob
        self.crop_prob = crop_prob
        self.crop_max_ratio = crop_max_ratio
        self.scale_prob = scale_prob
        self.scale_limit = scale_limit
        self.erase_prob = erase_prob
        self.erase_area = tuple(erase_area)
        self.erase_aspect = tuple(erase_aspect)
        self.erase_canvas = (None
                             if erase_canvas is None else tuple(erase_canvas))

    @cache_randomness
    def _rand_params(self, shape: Tuple[int, int]) -> dict:
        """Draw the flip and the crop / scale / erase parameters."""
        h, w = shape
        rng = np.random
        params = dict(flip=rng.rand() < self.flip_prob, op=None)
        if rng.rand() >= self.oneof_prob:
            return params
        weights = np.array([self.crop_prob, self.scale_prob,
                            self.erase_prob], np.float64)
        op = ('crop', 'scale', 'erase')[rng.choice(3, p=weights /
                                                   weights.sum())]
        params['op'] = op
        if op == 'crop':
            steps = int(round(self.crop_max_ratio * 100))
            u, v = rng.randint(steps, size=2) / 100
            ch, cw = int(h * (1 - u)), int(w * (1 - v))
            y0, x0 = rng.randint(h - ch + 1), rng.randint(w - cw + 1)
            params['box'] = (y0, x0, ch, cw)
        elif op == 'scale':
            params['factor'] = rng.uniform(1 - self.scale_limit,
                                           1 + self.scale_limit)
        else:
            params['box'] = self._erase_box(shape)
            if params['box'] is None:  # no box fitted in 10 tries
                params['op'] = None
        return params

    def _erase_box(self, shape: Tuple[int, int]
                   ) -> Optional[Tuple[int, int, int, int]]:
        """timm's random-erasing box on the canvas, or None."""
        rng = np.random
        ch, cw = self.erase_canvas or shape
        for _ in range(10):
            area = rng.uniform(*self.erase_area) * ch * cw
            aspect = np.exp(rng.uniform(*np.log(self.erase_aspect)))
            bh = int(round(np.sqrt(area * aspect)))
            bw = int(round(np.sqrt(area / aspect)))
            if bw < cw and bh < ch:
                return (rng.randint(ch - bh + 1), rng.randint(cw - bw + 1),
                        bh, bw)
        return None

    @staticmethod
    def _apply(arr: np.ndarray, p: dict, is_mask: bool) -> np.ndarray:
        """Apply the drawn operation to one array."""
        if p['flip']:
            arr = cv2.flip(arr, 1)
        op = p['op']
        if op == 'crop':
            y0, x0, ch, cw = p['box']
            arr = arr[y0:y0 + ch, x0:x0 + cw]
        elif op == 'scale':
            h, w = arr.shape[:2]
            size = (int(w * p['factor']), int(h * p['factor']))
            interp = cv2.INTER_NEAREST if is_mask else cv2.INTER_LINEAR
            arr = cv2.resize(arr, size, interpolation=interp)
        elif op == 'erase':
            y0, x0, bh, bw = p['box']
            arr = arr.copy()
            arr[y0:y0 + bh, x0:x0 + bw] = 0
        return np.ascontiguousarray(arr)

    def transform(self, results: dict) -> dict:
        """Augment every view's image and masks with one draw.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The augmented result dict.
        """
        shape = results['img'].shape[:2]
        p = self._rand_params(shape)
        results['pre_geo_shape'] = shape
        for suffix in view_suffixes(results):
            results['img' + suffix] = self._apply(results['img' + suffix],
                                                  p, False)
            for key in MASK_KEYS:
                if key + suffix in results:
                    results[key + suffix] = self._apply(
                        results[key + suffix], p, True)
        results['img_shape'] = results['img'].shape[:2]
        results['flip'] = bool(results.get('flip', False)) ^ p['flip']
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(flip_prob={self.flip_prob}, '
                f'oneof_prob={self.oneof_prob}, crop_prob={self.crop_prob}, '
                f'crop_max_ratio={self.crop_max_ratio}, '
                f'scale_prob={self.scale_prob}, '
                f'scale_limit={self.scale_limit}, '
                f'erase_prob={self.erase_prob}, '
                f'erase_area={self.erase_area}, '
                f'erase_aspect={self.erase_aspect}, '
                f'erase_canvas={self.erase_canvas})')
