# Copyright (c) laanet contributors. All rights reserved.
"""Colour augmentation with identical parameters for every view."""
from typing import List, Optional

import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.registry import TRANSFORMS
from .functional.albu_utils import apply_albu_bgr, build_albu_compose
from .functional.views import view_suffixes

# LAA-Net's SBI colour augmentation after the warp, albumentations 2.x
# argument names (1.x names such as `quality_lower` would be ignored).
SBI_COLOR_TRANSFORMS = [
    dict(type='RGBShift', r_shift_limit=20, g_shift_limit=20,
         b_shift_limit=20, p=0.3),
    dict(type='HueSaturationValue', hue_shift_limit=0.3,
         sat_shift_limit=0.3, val_shift_limit=0.3, p=0.3),
    dict(type='RandomBrightnessContrast', brightness_limit=0.3,
         contrast_limit=0.3, p=0.3),
    dict(type='ImageCompression', quality_range=(40, 100), p=0.5),
]  # yapf: disable


@TRANSFORMS.register_module()
class JointColorAug(BaseTransform):
    """albumentations colour pipeline applied identically to all views.

    The real and the fake of a pair get exactly the same shifts, contrast
    and JPEG quality, so the only difference left between them is the
    blending. Images are BGR in the pipeline and converted to RGB for
    albumentations (HSV depends on the channel order). Every argument name
    is checked against albumentations' signature, so a 1.x name raises
    instead of being ignored.

    Required Keys:

    - img (and img_fake for pairs), BGR uint8

    Modified Keys:

    - img, img_fake

    Args:
        transforms (list[dict], optional): albumentations 2.x transform
            dicts. Defaults to LAA-Net's SBI colour augmentation: RGBShift
            (±20, p=0.3), HueSaturationValue (±0.3, p=0.3),
            RandomBrightnessContrast (±0.3, p=0.3), ImageCompression
            (quality 40–100, p=0.5).
    """

    def __init__(self, transforms: Optional[List[dict]] = None) -> None:
        super().__init__()
        self.transforms = (
            SBI_COLOR_TRANSFORMS if transforms is None else transforms)
        self._compose = build_albu_compose(
            self.transforms, additional_targets=dict(image_fake='image'))

    @cache_randomness
    def _rand_seed(self) -> int:
        """Seed for albumentations, drawn from the pipeline's RNG."""
        return int(np.random.randint(2**31))

    def transform(self, results: dict) -> dict:
        """Apply one draw of the colour pipeline to every view.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The augmented result dict.
        """
        images = {
            'image' + s: results['img' + s]
            for s in view_suffixes(results)
        }
        out = apply_albu_bgr(self._compose, self._rand_seed(), images)
        for key, img in out.items():
            results['img' + key[len('image'):]] = img
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(transforms={self.transforms})'
