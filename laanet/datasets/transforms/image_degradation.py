# Copyright (c) laanet contributors. All rights reserved.
"""A common image-level degradation as a test-pipeline transform."""
import numpy as np

from laanet.registry import TRANSFORMS
from ..perturbations.common import common_param, degrade
from .base_perturbation import BasePerturbation


@TRANSFORMS.register_module()
class ImageDegradation(BasePerturbation):
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

    def check(self, kind: str, level: int) -> None:
        """Raise ``ValueError`` on an unknown kind or level."""
        common_param(kind, level)

    def perturb(self, img: np.ndarray, seed: int, name: str,
                results: dict) -> np.ndarray:
        """The degraded image."""
        return degrade(img, self.kind, self.level, seed, name)
