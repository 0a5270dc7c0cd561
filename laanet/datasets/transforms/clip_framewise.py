# Copyright (c) laanet contributors. All rights reserved.
"""Run single-frame transforms on every frame of a clip."""
from typing import List, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform, Compose

from laanet.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ClipFramewise(BaseTransform):
    """Apply frame transforms (e.g. :class:`CenterCropLetterbox`) to each
    frame of a clip, independently.

    Each frame gets a copy of the clip's result dict in which ``img`` is
    that frame, ``img_path`` its path and ``landmarks`` its landmarks. Put
    back into the clip: ``img`` as the list of frames, ``landmarks``
    stacked to (T, P, 2), ``img_shape`` (which every frame must share),
    and every other key the transforms set or changed as a list of the
    frames' values (e.g. ``letterbox_matrix``). Deterministic transforms
    only: a random one would draw per frame.

    Required Keys:

    - img (list of T frames)
    - img_path (list of T paths)

    Modified Keys:

    - img, img_shape, landmarks (optional), the keys the transforms set

    Args:
        transforms (Sequence[dict | callable]): The frame transforms.
    """

    def __init__(self, transforms: Sequence[Union[dict, callable]]) -> None:
        self.transforms = Compose([
            TRANSFORMS.build(t) if isinstance(t, dict) else t
            for t in transforms
        ])

    def transform(self, results: dict) -> dict:
        """Transform every frame.

        Args:
            results (dict): The result dict of a clip.

        Returns:
            dict: The updated results.
        """
        frames = results['img']
        paths = results['img_path']
        lms = results.get('landmarks')
        outs: List[dict] = []
        for t, img in enumerate(frames):
            frame = dict(results)
            frame.update(img=img, img_path=paths[t], img_shape=img.shape[:2])
            if lms is not None:
                frame['landmarks'] = lms[t]
            out = self.transforms(frame)
            if out is None:
                raise ValueError(f'{self.transforms} dropped frame '
                                 f'{paths[t]}')
            outs.append(out)
        shapes = {tuple(o['img_shape']) for o in outs}
        if len(shapes) != 1:
            raise ValueError(f'the frames of the clip starting at {paths[0]} '
                             f'came out with different sizes {shapes}')
        for key in outs[0]:
            if key in ('img', 'img_path', 'img_shape', 'landmarks'):
                continue
            if key not in results or outs[0][key] is not results[key]:
                results[key] = [o[key] for o in outs]
        results['img'] = [o['img'] for o in outs]
        results['img_shape'] = outs[0]['img_shape']
        if lms is not None:
            results['landmarks'] = np.stack([o['landmarks'] for o in outs])
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(transforms={self.transforms})'
