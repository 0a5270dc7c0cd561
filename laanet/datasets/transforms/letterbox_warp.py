# Copyright (c) laanet contributors. All rights reserved.
"""Letterbox affine warp to the network input and heatmap sizes."""
from typing import Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from .functional.views import MASK_KEYS, view_suffixes
from .functional.warp_utils import letterbox_matrix


@TRANSFORMS.register_module()
class LetterboxWarp(BaseTransform):
    """Warp images to ``input_size`` and masks to ``heatmap_size``.

    The official corner-aligned letterbox affine with aspect 1
    (:func:`~.warp_utils.letterbox_matrix`): the longer side fits the
    output, the image is centred and the rest is black. Images use
    bilinear interpolation, masks (``blend_mask``, ``boundary_map`` and
    their ``*_fake`` twins) bilinear with a zero border at the heatmap
    size, so targets stay aligned with the image. A mask keeps its dtype:
    the official pipeline warps the uint8 boundary map (OpenCV rounds), and
    that decides which pixels tie for the heatmap's maxima.

    The official pipeline computes the centre and scale *before* the
    geometric augmentation, so a crop or rescale there becomes a
    top-left-anchored shift / zoom with black borders. That is the default
    (``use_pre_aug_shape=True``, it affects training); set it to False to
    letterbox the augmented image itself.

    Required Keys:

    - img (and img_fake), masks if present
    - pre_geo_shape (optional, from :class:`JointGeometricAug`)

    Modified Keys:

    - img, img_fake, blend_mask, boundary_map, blend_mask_fake,
      boundary_map_fake, img_shape

    Args:
        input_size (tuple[int, int]): Output (w, h) of images.
            Defaults to (384, 384).
        heatmap_size (tuple[int, int]): Output (w, h) of masks.
            Defaults to (96, 96).
        use_pre_aug_shape (bool): Take the centre/scale from the shape
            before geometric augmentation. Defaults to True.
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (384, 384),
                 heatmap_size: Tuple[int, int] = (96, 96),
                 use_pre_aug_shape: bool = True) -> None:
        super().__init__()
        self.input_size = tuple(input_size)
        self.heatmap_size = tuple(heatmap_size)
        self.use_pre_aug_shape = use_pre_aug_shape

    def transform(self, results: dict) -> dict:
        """Warp every view.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The warped result dict.
        """
        src = results['img'].shape[:2]
        if self.use_pre_aug_shape and 'pre_geo_shape' in results:
            src = results['pre_geo_shape']
        in_w, in_h = self.input_size
        hm_w, hm_h = self.heatmap_size
        mat = letterbox_matrix(src, (in_h, in_w))
        mat_hm = letterbox_matrix(src, (hm_h, hm_w))
        for suffix in view_suffixes(results):
            results['img' + suffix] = cv2.warpAffine(
                results['img' + suffix], mat, (in_w, in_h),
                flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            for key in MASK_KEYS:
                if key + suffix not in results:
                    continue
                mask = results[key + suffix]
                if not mask.any():  # e.g. the real of a pair: no warp
                    results[key + suffix] = np.zeros((hm_h, hm_w),
                                                     mask.dtype)
                    continue
                results[key + suffix] = cv2.warpAffine(
                    mask, mat_hm, (hm_w, hm_h),
                    flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        results['img_shape'] = (in_h, in_w)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size}, '
                f'use_pre_aug_shape={self.use_pre_aug_shape})')
