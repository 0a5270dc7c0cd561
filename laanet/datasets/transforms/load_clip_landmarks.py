# Copyright (c) laanet contributors. All rights reserved.
"""Load and validate the landmarks of every frame of a clip."""
import numpy as np

from laanet.registry import TRANSFORMS
from .load_landmarks import LoadLandmarks


@TRANSFORMS.register_module()
class LoadClipLandmarks(LoadLandmarks):
    """:class:`LoadLandmarks` for each frame of a clip, in order.

    Each frame's landmarks (inline, or its ``landmark_path``) are checked
    as :class:`LoadLandmarks` checks one frame's, with that frame's path in
    the error; all frames must have the same number of points.

    Required Keys:

    - img_shape (from :class:`LoadClipFrames`)
    - landmarks ((T, P, 2) array or a list of T entries) or landmark_path
      (list of T paths)
    - img_path (list of T paths, for error messages)

    Modified Keys:

    - landmarks: (T, P, 2) float32 array

    Args:
        num_points (Sequence[int]): Accepted landmark counts.
            Defaults to (68, 81).
        tolerance (float): See :class:`LoadLandmarks`. Defaults to 0.1.

    Raises:
        ValueError: Naming the frame's file, as :class:`LoadLandmarks`
            does, or when the frames' point counts differ.
    """

    def transform(self, results: dict) -> dict:
        """Load and validate every frame's landmarks.

        Args:
            results (dict): The result dict of a clip.

        Returns:
            dict: The results with ``landmarks`` a (T, P, 2) float32
            array.
        """
        paths = results['img_path']
        n = len(paths)
        lms = results.get('landmarks')
        lm_paths = results.get('landmark_path')
        out = []
        for t in range(n):
            frame = dict(
                img_path=paths[t],
                img_shape=results['img_shape'],
                landmarks=None if lms is None else lms[t],
                landmark_path=None if lm_paths is None else lm_paths[t])
            out.append(super().transform(frame)['landmarks'])
        counts = {a.shape[0] for a in out}
        if len(counts) != 1:
            raise ValueError(
                f'the frames of the clip starting at {paths[0]} have '
                f'different landmark counts {sorted(counts)}')
        results['landmarks'] = np.stack(out)
        return results
