# Copyright (c) laanet contributors. All rights reserved.
"""One colour/JPEG draw for every frame of a (real, fake) clip pair."""
from typing import Dict, List, Optional

from laanet.registry import TRANSFORMS
from .functional.albu_utils import apply_albu_bgr, build_albu_compose
from .functional.views import view_suffixes
from .joint_color_aug import JointColorAug


@TRANSFORMS.register_module()
class ClipJointColorAug(JointColorAug):
    """:class:`JointColorAug` with one draw for all 2T images of a clip pair.

    FakeSTormer draws the colour/JPEG augmentation on frame 0 (real and
    fake together) and replays it on the other frames; here all frames of
    both views are one albumentations call with one set of parameters, so
    RGB shift, HSV, brightness/contrast and the JPEG quality are the same
    for every image. Defaults: RGBShift (±20, p=0.3), HueSaturationValue
    (±0.3, p=0.3), RandomBrightnessContrast (±0.3, p=0.3),
    ImageCompression (quality 40–100, p=0.5), albumentations 2.x names.

    Required Keys:

    - img (and img_fake): lists of T BGR uint8 frames

    Modified Keys:

    - img, img_fake

    Args:
        transforms (list[dict], optional): albumentations 2.x transform
            dicts. Defaults to the SBI colour augmentation above.
    """

    def __init__(self, transforms: Optional[List[dict]] = None) -> None:
        super().__init__(transforms=transforms)
        self._composes: Dict[int, object] = {}

    def _compose_for(self, num_images: int):
        """A compose with ``num_images`` image targets (cached)."""
        if num_images not in self._composes:
            self._composes[num_images] = build_albu_compose(
                self.transforms,
                additional_targets={
                    f'image{i}': 'image'
                    for i in range(1, num_images)
                })
        return self._composes[num_images]

    def transform(self, results: dict) -> dict:
        """Apply one draw of the colour pipeline to every frame.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The augmented result dict.
        """
        slots = [(s, t) for s in view_suffixes(results)
                 for t in range(len(results['img' + s]))]
        names = ['image'] + [f'image{i}' for i in range(1, len(slots))]
        images = {
            name: results['img' + s][t]
            for name, (s, t) in zip(names, slots)
        }
        out = apply_albu_bgr(
            self._compose_for(len(slots)), self._rand_seed(), images)
        for s in view_suffixes(results):
            results['img' + s] = list(results['img' + s])
        for name, (s, t) in zip(names, slots):
            results['img' + s][t] = out[name]
        return results
