# Copyright (c) laanet contributors. All rights reserved.
"""What the image perturbation transforms share: kind, level, seed."""
from typing import Optional

import numpy as np
from mmcv.transforms import BaseTransform

from ..perturbations.df1 import image_seed


class BasePerturbation(BaseTransform):
    """Degrade ``results['img']`` with a kind at a level, seeded per image.

    Subclasses check ``kind`` and ``level`` in :meth:`check` and degrade
    the image in :meth:`perturb`. The seed of an image is derived from
    its ``img_path`` (and ``seed`` when given), so a run is reproducible.

    Args:
        kind (str): The perturbation.
        level (int): 1..5. Defaults to 3.
        seed (int, optional): Mixed into the per-image seed. Defaults to
            None.
    """

    def __init__(self,
                 kind: str,
                 level: int = 3,
                 seed: Optional[int] = None) -> None:
        self.check(kind, level)
        self.kind = kind
        self.level = level
        self.seed = seed

    def check(self, kind: str, level: int) -> None:
        """Raise ``ValueError`` on an unknown kind or level."""
        raise NotImplementedError

    def perturb(self, img: np.ndarray, seed: int, name: str,
                results: dict) -> np.ndarray:
        """The degraded image.

        Args:
            img (np.ndarray): ``results['img']``.
            seed (int): This image's seed.
            name (str): Its file name (errors).
            results (dict): The whole sample.

        Returns:
            np.ndarray: BGR uint8.
        """
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        """Degrade ``results['img']``; set ``img_shape`` and
        ``perturbation``.

        Args:
            results (dict): The sample.

        Returns:
            dict: ``results``.
        """
        name = str(results.get('img_path') or '<array>')
        parts = (self.kind, self.level, name)
        seed = image_seed(*parts) if self.seed is None else image_seed(
            self.seed, *parts)
        img = self.perturb(results['img'], seed, name, results)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['perturbation'] = f'{self.kind}:{self.level}'
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(kind={self.kind!r}, '
                f'level={self.level}, seed={self.seed})')
