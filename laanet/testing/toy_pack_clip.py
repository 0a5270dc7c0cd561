# Copyright (c) laanet contributors. All rights reserved.
"""A clip test pipeline in one transform, for :class:`ToyClipModel`
configs (tests only; the real clip configs use the clip transforms)."""
from typing import Sequence, Union

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from laanet.datasets.transforms import CenterCropLetterbox
from laanet.registry import TRANSFORMS
from laanet.structures import DeepfakeDataSample

#: Meta keys copied into the data sample.
CLIP_META_KEYS = ('img_path', 'video_id', 'frame_idx', 'frame_indices',
                  'ori_shape', 'img_shape')


@TRANSFORMS.register_module()
class ToyPackClip(BaseTransform):
    """Margin crop and letterbox every frame of ``img`` (a list of T BGR
    frames, the clip key layout of the FakeSTormer contract) with
    :class:`CenterCropLetterbox`, then pack ``inputs`` uint8 (3, T, H, W)
    and one data sample (``gt_label``, the meta keys).

    Args:
        margin (int | Sequence[int]): See ``CenterCropLetterbox``.
            Defaults to 15 (FakeSTormer's test crop).
        scale (int | Sequence[int]): Output size. Defaults to 224.
    """

    def __init__(self,
                 margin: Union[int, Sequence[int]] = 15,
                 scale: Union[int, Sequence[int]] = 224) -> None:
        self.letterbox = CenterCropLetterbox(margin=margin, scale=scale)

    def transform(self, results: dict) -> dict:
        """Crop, letterbox and pack one clip."""
        frames = results['img']
        if not isinstance(frames, (list, tuple)):
            raise TypeError('ToyPackClip takes a list of frames in `img`, '
                            f'got {type(frames).__name__} '
                            f'({results.get("img_path")})')
        out = [self.letterbox(dict(img=f))['img'] for f in frames]
        clip = np.stack(out).transpose(3, 0, 1, 2)  # C, T, H, W
        sample = DeepfakeDataSample().set_gt_label(
            int(results.get('gt_label', -1)))
        meta = {k: results[k] for k in CLIP_META_KEYS if k in results}
        meta['img_shape'] = out[0].shape[:2]
        sample.set_metainfo(meta)
        return dict(
            inputs=torch.from_numpy(np.ascontiguousarray(clip)),
            data_samples=sample)
