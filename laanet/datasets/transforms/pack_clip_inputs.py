# Copyright (c) laanet contributors. All rights reserved.
"""Pack a clip (or a real/fake clip pair) into inputs and data samples."""
from typing import Sequence

import numpy as np
import torch

from laanet.registry import TRANSFORMS
from laanet.structures import DeepfakeDataSample
from .functional.views import FAKE_SUFFIX, VIEW_SUFFIXES, describe_failure
from .pack_deepfake_inputs import PackDeepfakeInputs

CLIP_META_KEYS = ('img_path', 'video_id', 'frame_idx', 'frame_indices',
                  'manipulation', 'dataset_name', 'ori_shape', 'img_shape',
                  'flip')


@TRANSFORMS.register_module()
class PackClipInputs(PackDeepfakeInputs):
    """Pack clips in the ``'clip'`` layout (:mod:`laanet.structures.layout`).

    With ``pair=True`` (training): ``dict(inputs=uint8 Tensor
    (2, C, T, H, W) [real, fake], data_samples=[real, fake])``, which
    ``laanet.pair_collate`` flattens and shuffles jointly. With
    ``pair=False`` (test): ``dict(inputs=uint8 Tensor (C, T, H, W),
    data_samples=DeepfakeDataSample)``.

    Each view's data sample carries ``gt_label`` (1,), the (T, h, w)
    targets ``gt_fields.heatmap`` and ``gt_fields.heatmap_mask`` (from
    :class:`GenerateTemporalTargets` and :class:`VulnerabilityMask`; and
    ``gt_fields.boundary``, the uint8 boundary maps over 255, with
    ``with_boundary``), the tensor field ``gt_frame_scores`` (T,) (the
    per-frame ``temp_loc`` targets) and the meta keys; the fake view takes
    ``<key>_fake`` where one exists.

    Required Keys:

    - img (and img_fake): lists of T (H, W, 3) BGR uint8 frames
    - gt_label (and gt_label_fake)

    Optional Keys:

    - heatmap, heatmap_mask, frame_scores, boundary (and ``*_fake``)
    - the ``meta_keys``

    Added Keys:

    - inputs, data_samples

    Args:
        pair (bool): Pack a (real, fake) clip pair. Defaults to False.
        meta_keys (Sequence[str]): Meta keys copied into every sample.
            Defaults to ``CLIP_META_KEYS``.
        with_boundary (bool): Also pack the boundary maps as
            ``gt_fields.boundary``. Defaults to False.
    """

    field_mapping_table = dict(heatmap='heatmap', heatmap_mask='heatmap_mask')

    def __init__(self,
                 pair: bool = False,
                 meta_keys: Sequence[str] = CLIP_META_KEYS,
                 with_boundary: bool = False) -> None:
        super().__init__(pair=pair, meta_keys=meta_keys)
        self.with_boundary = with_boundary
        if with_boundary:
            self.field_mapping['boundary'] = 'boundary'

    @staticmethod
    def stack_clip(frames: Sequence[np.ndarray], results: dict) -> np.ndarray:
        """T (H, W, C) frames to a (C, T, H, W) array."""
        shapes = {f.shape for f in frames}
        if len(shapes) != 1 or len(next(iter(shapes))) != 3:
            raise ValueError(
                describe_failure(
                    results, 'a clip needs T (H, W, C) frames of one size, '
                    f'got shapes {sorted(shapes)}'))
        return np.stack(frames).transpose(3, 0, 1, 2)

    def _pack_view(self, results: dict, suffix: str) -> DeepfakeDataSample:
        """Build the data sample of one view."""
        sample = super()._pack_view(results, suffix)
        scores = results.get('frame_scores' + suffix)
        if scores is not None:
            sample.set_field(
                torch.from_numpy(np.asarray(scores, dtype=np.float32)),
                'gt_frame_scores',
                dtype=torch.Tensor)
        return sample

    def transform(self, results: dict) -> dict:
        """Pack the result dict of a clip (pair).

        Args:
            results (dict): The result dict.

        Returns:
            dict: ``inputs`` and ``data_samples``.
        """
        if self.pair:
            if 'img' + FAKE_SUFFIX not in results:
                raise KeyError(
                    describe_failure(
                        results, 'PackClipInputs(pair=True) needs '
                        '`img_fake` (the video SBI transforms make it); set '
                        'pair=False for single clips'))
            clips = np.stack([
                self.stack_clip(results['img' + s], results)
                for s in VIEW_SUFFIXES
            ])
            return dict(
                inputs=torch.from_numpy(np.ascontiguousarray(clips)),
                data_samples=[
                    self._pack_view(results, s) for s in VIEW_SUFFIXES
                ])
        clip = self.stack_clip(results['img'], results)
        return dict(
            inputs=torch.from_numpy(np.ascontiguousarray(clip)),
            data_samples=self._pack_view(results, ''))

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(pair={self.pair}, '
                f'meta_keys={self.meta_keys}, '
                f'with_boundary={self.with_boundary})')
