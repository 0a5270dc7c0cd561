# Copyright (c) laanet contributors. All rights reserved.
"""Pack a sample (or a real/fake pair) into inputs and data samples.

Owns the conversion of a result dict into ``inputs`` and
:class:`~laanet.structures.DeepfakeDataSample` (which result keys become
which ``gt_fields``). The pair layout it reads is
:mod:`laanet.datasets.transforms.functional.views`'s.
"""
from typing import Sequence

import numpy as np
import torch
from mmcv.transforms import BaseTransform

from laanet.registry import TRANSFORMS
from laanet.structures import DeepfakeDataSample
from .functional.views import FAKE_SUFFIX, VIEW_SUFFIXES

# the last three come from DeepfakeBenchDataset (absent keys are skipped)
DEFAULT_META_KEYS = ('img_path', 'video_id', 'frame_idx', 'manipulation',
                     'dataset_name', 'ori_shape', 'img_shape', 'flip',
                     'face_area', 'dfb_frame_path', 'dfb_video_id', 'method')


@TRANSFORMS.register_module()
class PackDeepfakeInputs(BaseTransform):
    """Pack images, labels and targets for the model.

    With ``pair=True`` the item holds a (real, fake) pair from
    :class:`SelfBlend`:
    ``dict(inputs=uint8 Tensor (2, 3, H, W) [real, fake],
    data_samples=[real_sample, fake_sample])``; the registered collate
    ``pair_collate`` flattens B such items into 2B images. With
    ``pair=False``: ``dict(inputs=uint8 Tensor (3, H, W),
    data_samples=DeepfakeDataSample)``.

    Targets in ``field_mapping_table`` go to ``gt_fields`` as tensors:
    ``heatmap`` and ``consistency`` (the loss targets) and, on request,
    ``boundary`` (the boundary map B, ``with_boundary``) and
    ``blend_mask`` (M, ``with_blend_mask``); no loss reads the last two,
    ``browse_dataset.py`` draws them. Labels are real 0, fake 1. Meta keys
    are copied per view: the fake view of a pair takes ``<key>_fake``
    where the synthesis transform set one (its ``manipulation`` and
    ``video_id``), else ``<key>``. Everything else is dropped.

    Required Keys:

    - img (and img_fake), BGR uint8
    - gt_label (or label) (and gt_label_fake)

    Optional Keys:

    - heatmap, consistency, boundary_map, blend_mask (and ``*_fake``)
    - the ``meta_keys``

    Added Keys:

    - inputs, data_samples

    Args:
        pair (bool): Pack a (real, fake) pair. Defaults to False.
        meta_keys (Sequence[str]): Meta keys copied into every sample.
            Defaults to ``DEFAULT_META_KEYS``.
        with_blend_mask (bool): Also pack the blend mask M as
            ``gt_fields.blend_mask``. Defaults to False.
        with_boundary (bool): Also pack the boundary map B as
            ``gt_fields.boundary``. Defaults to False.
    """

    field_mapping_table = dict(heatmap='heatmap', consistency='consistency')

    def __init__(self,
                 pair: bool = False,
                 meta_keys: Sequence[str] = DEFAULT_META_KEYS,
                 with_blend_mask: bool = False,
                 with_boundary: bool = False) -> None:
        super().__init__()
        self.pair = pair
        self.meta_keys = tuple(meta_keys)
        self.with_blend_mask = with_blend_mask
        self.with_boundary = with_boundary
        self.field_mapping = dict(self.field_mapping_table)
        if with_blend_mask:
            self.field_mapping['blend_mask'] = 'blend_mask'
        if with_boundary:
            self.field_mapping['boundary_map'] = 'boundary'

    @staticmethod
    def format_input(img: np.ndarray) -> torch.Tensor:
        """HWC (or HW) uint8 array to a contiguous CHW tensor."""
        if img.ndim == 2:
            img = img[..., None]
        return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0,
                                                                   1)))

    def _pack_view(self, results: dict, suffix: str) -> DeepfakeDataSample:
        """Build the data sample of one view."""
        sample = DeepfakeDataSample()
        label = results.get('gt_label' + suffix)
        if label is None and not suffix:
            label = results.get('label')
        if label is None:
            raise KeyError(f'`gt_label{suffix}` is missing for '
                           f"{results.get('img_path')}.")
        sample.set_gt_label(int(label))
        for key, field in self.field_mapping.items():
            if key + suffix in results:
                value = results[key + suffix]
                if value.dtype == np.uint8:  # a quantised boundary map
                    value = value.astype(np.float32) / 255.
                value = np.ascontiguousarray(value, dtype=np.float32)
                sample._set_pixel_field('gt_fields', field, value)
        meta = {}
        for k in self.meta_keys:
            if k + suffix in results:
                meta[k] = results[k + suffix]
            elif k in results:
                meta[k] = results[k]
        sample.set_metainfo(meta)
        return sample

    def transform(self, results: dict) -> dict:
        """Pack the result dict.

        Args:
            results (dict): The result dict.

        Returns:
            dict: ``inputs`` and ``data_samples``.
        """
        if self.pair:
            if 'img' + FAKE_SUFFIX not in results:
                raise KeyError(
                    f'{self.__class__.__name__}(pair=True) needs `img_fake`; '
                    'use a synthesis transform with pair=True or set '
                    f"pair=False ({results.get('img_path')}).")
            samples = [self._pack_view(results, s) for s in VIEW_SUFFIXES]
            return dict(inputs=self.pack_inputs(results), data_samples=samples)
        return dict(
            inputs=self.pack_inputs(results),
            data_samples=self._pack_view(results, ''))

    def pack_inputs(self, results: dict) -> torch.Tensor:
        """The inputs: (3, H, W), or (2, 3, H, W) [real, fake] for a pair.

        Args:
            results (dict): The result dict.

        Returns:
            torch.Tensor: uint8 inputs.
        """
        if not self.pair:
            return self.format_input(results['img'])
        # numpy stacking: torch.stack on uint8 is several times slower in
        # data-loading workers
        pair = np.stack([results['img' + s] for s in VIEW_SUFFIXES])
        return torch.from_numpy(
            np.ascontiguousarray(pair.transpose(0, 3, 1, 2)))

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(pair={self.pair}, '
                f'meta_keys={self.meta_keys}, '
                f'with_blend_mask={self.with_blend_mask}, '
                f'with_boundary={self.with_boundary})')
