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

    A clip (``img`` a list of T frames and ``img_path`` their T paths, the
    clip key layout) is perturbed frame by frame with the same kind and
    level; each frame's random draws (BW blocks, GNC noise) come from its
    own path's seed, so a frame is degraded exactly as when an image
    method's test reads it. Per-frame keys that are lists of T entries
    (``frame_shape``, ``crop_window``) are given to each frame's
    :meth:`perturb` as that frame's entry.

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
        if isinstance(results['img'], (list, tuple)):
            frames = [
                self._perturb_one(frame_results)
                for frame_results in clip_frame_results(results)
            ]
            results['img'] = frames
            results['img_shape'] = frames[0].shape[:2]
        else:
            img = self._perturb_one(results)
            results['img'] = img
            results['img_shape'] = img.shape[:2]
        results['perturbation'] = f'{self.kind}:{self.level}'
        return results

    def _perturb_one(self, results: dict) -> np.ndarray:
        """The degraded ``results['img']``, seeded by its path."""
        name = str(results.get('img_path') or '<array>')
        parts = (self.kind, self.level, name)
        seed = image_seed(*parts) if self.seed is None else image_seed(
            self.seed, *parts)
        return self.perturb(results['img'], seed, name, results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(kind={self.kind!r}, '
                f'level={self.level}, seed={self.seed})')


#: Keys that a clip holds once per frame (lists of T entries).
PER_FRAME_KEYS = ('img_path', 'frame_shape', 'crop_window')


def clip_frame_results(results: dict) -> list:
    """One results dict per frame of a clip: ``img`` the frame and each
    of :data:`PER_FRAME_KEYS` that the clip holds as a list of T entries
    that frame's entry; every other key shared.

    Args:
        results (dict): A clip (``img`` a list of T frames).

    Returns:
        list[dict]: T shallow views.
    """
    frames = list(results['img'])
    views = []
    for t, frame in enumerate(frames):
        view = dict(results, img=frame)
        for key in PER_FRAME_KEYS:
            value = results.get(key)
            if isinstance(value, (list, tuple)) and len(value) == len(
                    frames) and not isinstance(value[0], (int, float)):
                view[key] = value[t]
        views.append(view)
    return views
