# Copyright (c) laanet contributors. All rights reserved.
"""Load and validate facial landmarks."""
from typing import Sequence

import numpy as np
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from .functional.views import describe_failure


@TRANSFORMS.register_module()
class LoadLandmarks(BaseTransform):
    """Load dlib landmarks given inline or in a ``.npy`` file and check them.

    Landmarks are (x, y) pixel coordinates in the face crop. Inline
    ``landmarks`` win over ``landmark_path``.

    Required Keys:

    - img_shape (from ``LoadImageFromFile``)
    - landmarks (list | np.ndarray | None) or landmark_path (str)

    Modified Keys:

    - landmarks: (N, 2) float32 array, N in ``num_points``

    Args:
        num_points (Sequence[int]): Accepted landmark counts.
            Defaults to (68, 81).
        tolerance (float): How far outside the image a point may lie, as a
            fraction of the image's longer side (dlib places jaw and
            forehead points slightly outside tight crops).
            Defaults to 0.1.

    Raises:
        ValueError: Naming the file, when the landmarks are missing, have
            the wrong shape, are not finite or lie outside the image.
    """

    def __init__(self,
                 num_points: Sequence[int] = (68, 81),
                 tolerance: float = 0.1) -> None:
        super().__init__()
        self.num_points = tuple(num_points)
        self.tolerance = tolerance

    def _read(self, results: dict) -> np.ndarray:
        """Fetch the raw landmark array from the results."""
        lms = results.get('landmarks')
        if lms is None and results.get('landmark_path'):
            path = results['landmark_path']
            try:
                lms = np.load(path)
            except (OSError, ValueError) as err:
                raise ValueError(
                    describe_failure(
                        results,
                        f'cannot read landmark file {path}: {err}')) from err
        if lms is None:
            raise ValueError(
                describe_failure(
                    results, 'the sample has no landmarks (null in the '
                    'annotation); build the dataset with '
                    'require_landmarks=True to drop such frames'))
        return np.asarray(lms, dtype=np.float32)

    def transform(self, results: dict) -> dict:
        """Load and validate the landmarks.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with ``landmarks`` as a float32 array.
        """
        lms = self._read(results)
        if lms.ndim != 2 or lms.shape[1] != 2 or \
                lms.shape[0] not in self.num_points:
            raise ValueError(
                describe_failure(
                    results, f'landmarks must have shape (N, 2) with N in '
                    f'{self.num_points}, got {lms.shape}'))
        if not np.isfinite(lms).all():
            raise ValueError(
                describe_failure(results, 'landmarks contain NaN or inf'))
        h, w = results['img_shape'][:2]
        tol = self.tolerance * max(h, w)
        inside = ((lms[:, 0] >= -tol) & (lms[:, 0] <= w - 1 + tol) &
                  (lms[:, 1] >= -tol) & (lms[:, 1] <= h - 1 + tol))
        if not inside.all():
            bad = int(np.flatnonzero(~inside)[0])
            raise ValueError(
                describe_failure(
                    results, f'landmark {bad} at {lms[bad].tolist()} lies '
                    f'outside the {w}x{h} image (tolerance {tol:.1f} px)'))
        results['landmarks'] = lms
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_points={self.num_points}, '
                f'tolerance={self.tolerance})')
