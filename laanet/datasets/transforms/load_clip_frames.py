# Copyright (c) laanet contributors. All rights reserved.
"""Read the frames of a clip."""
from typing import Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio

from laanet.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadClipFrames(BaseTransform):
    """Read the ``T`` frames of a clip, in order, as BGR uint8 images.

    The clip counterpart of mmcv's ``LoadImageFromFile`` (the same
    decoder), for items of ``DeepfakeDataset(clip_len=T)``. Every frame
    must have the size of the first.

    Required Keys:

    - img_path (list[str])

    Added Keys:

    - img (list of T (H, W, 3) uint8 BGR arrays)
    - img_shape, ori_shape ((H, W) of the frames)

    Args:
        backend_args (dict, optional): MMEngine file backend arguments.
            Defaults to None.

    Raises:
        ValueError: Naming the file, when a frame cannot be read or its
            size differs from the first frame's.
    """

    def __init__(self, backend_args: Optional[dict] = None) -> None:
        self.backend_args = backend_args

    def _read(self, path: str) -> np.ndarray:
        """Read one frame."""
        try:
            data = fileio.get(path, backend_args=self.backend_args)
        except (OSError, FileNotFoundError) as err:
            raise ValueError(f'cannot read frame {path}: {err}') from err
        img = mmcv.imfrombytes(data, flag='color', backend='cv2')
        if img is None:
            raise ValueError(f'cannot decode frame {path} as an image')
        return img

    def transform(self, results: dict) -> dict:
        """Read the clip's frames.

        Args:
            results (dict): Needs ``img_path`` (a list of paths).

        Returns:
            dict: The results with ``img`` a list of frames.
        """
        paths = results['img_path']
        if isinstance(paths, str):
            raise ValueError(
                f'LoadClipFrames needs a list of frame paths (a dataset '
                f'with clip_len), got the single path {paths}')
        frames = [self._read(p) for p in paths]
        shape = frames[0].shape[:2]
        for path, img in zip(paths, frames):
            if img.shape[:2] != shape:
                raise ValueError(
                    f'frame {path} is {img.shape[1]}x{img.shape[0]}, but '
                    f'the clip starts with a {shape[1]}x{shape[0]} frame '
                    f'({paths[0]})')
        results['img'] = frames
        results['img_shape'] = shape
        results['ori_shape'] = shape
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(backend_args={self.backend_args})'
