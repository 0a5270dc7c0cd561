# Copyright (c) laanet contributors. All rights reserved.
"""A common image-level degradation as a test-pipeline transform."""
from typing import Optional

from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from ..perturbations.common import common_param, degrade
from ..perturbations.df1 import image_seed


@TRANSFORMS.register_module()
class ImageDegradation(BaseTransform):
    """Degrade ``img`` with one of the common robustness degradations.

    Real JPEG quality, Gaussian blur sigma, down-resize, Gaussian noise
    (:mod:`laanet.datasets.perturbations.common`); not the DeeperForensics
    set, see :class:`DF1Perturbation` for that.

    Required Keys:

    - img

    Modified Keys:

    - img (BGR uint8)

    Added Keys:

    - perturbation (``'kind:level'``)

    Args:
        kind (str): ``'jpeg_quality'``, ``'blur'``, ``'resize'`` or
            ``'noise'``.
        level (int): 1..5. Defaults to 3.
        seed (int, optional): Mixed into the per-image seed of ``noise``.
            Defaults to None.
    """

    def __init__(self,
                 kind: str,
                 level: int = 3,
                 seed: Optional[int] = None) -> None:
        common_param(kind, level)
        self.kind = kind
        self.level = level
        self.seed = seed

    def transform(self, results: dict) -> dict:
        """Degrade ``results['img']``.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``results``.
        """
        name = str(results.get('img_path') or '<array>')
        seed = image_seed(self.kind, self.level, name) if self.seed is None \
            else image_seed(self.seed, self.kind, self.level, name)
        img = degrade(results['img'], self.kind, self.level, seed, name)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['perturbation'] = f'{self.kind}:{self.level}'
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(kind={self.kind!r}, '
                f'level={self.level}, seed={self.seed})')
