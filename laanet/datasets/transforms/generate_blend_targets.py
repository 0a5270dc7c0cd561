# Copyright (c) laanet contributors. All rights reserved.
"""LAA-Net heatmap and consistency targets from the blending boundary."""
from typing import Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from laanet.codecs.blend_targets import encode_blend_targets
from laanet.registry import TRANSFORMS
from .functional.views import describe_failure, view_suffixes


@TRANSFORMS.register_module()
class GenerateBlendTargets(BaseTransform):
    """Encode LAA-Net's artifact heatmap and consistency map ("version 1").

    Place it after every geometric transform (the boundary map must be at
    ``heatmap_size``) and before packing. Its settings come from the
    ``heatmap_cfg`` dict declared once in the dataset base config (the
    pipeline's ``LetterboxWarp`` reads the same sizes; the heads do not
    read it).

    Encoding of a fake view's boundary map B (h × w):

    - **heatmap**: in each quadrant, every pixel equal to the quadrant's
      maximum (if positive) is an artifact-prone point and gets a Gaussian
      with peak exactly 1.0, merged with max; σ = r/3 + 1e-4 with r the
      CenterNet radius (``min_overlap``) of the run lengths of B > 128/255
      through the point (``adaptive_sigma``), or a fixed ``sigma``. The
      Gaussians are placed as the official encoder places them: about a
      third of the peaks land one pixel up-left of their point
      (``center_peaks=True`` centres them), and run lengths wrap around the
      top/left border (``stop_runs_at_border=True`` stops them there).
    - **consistency**: ``C = 1 − |max(B) − B|`` in each quadrant that has
      points, 0 elsewhere.

    B is encoded as it arrives: the synthesis transforms store it as
    ``uint8(255·B)`` at the crop, as the official pipeline does, and the
    targets then equal the official encoder's exactly (a float map is
    encoded as is, so only its exact float maxima tie).

    Real views get zero targets (official); ``real_consistency='ones'``
    gives them an all-ones consistency map instead (the paper's formula
    for an image without blending).

    Required Keys:

    - boundary_map (and boundary_map_fake), (h, w) uint8 ``255·B`` or
      float in [0, 1]
    - gt_label (and gt_label_fake)

    Added Keys (per view, ``*_fake`` for the fake of a pair):

    - heatmap: (1, h, w) float32
    - consistency: (1, h, w) float32 in [0, 1]

    Args:
        input_size (tuple[int, int]): Network input (w, h). Not used by
            the encoding: accepted so that ``heatmap_cfg`` can be passed
            whole (``**heatmap_cfg``). Defaults to (384, 384).
        heatmap_size (tuple[int, int]): Target (w, h); the boundary map
            must have this size. Defaults to (96, 96).
        min_overlap (float): CenterNet minimum overlap. Defaults to 0.7.
        adaptive_sigma (bool): Per-point σ from the run lengths.
            Defaults to True.
        sigma (float): Fixed σ when ``adaptive_sigma=False``.
            Defaults to 2.
        real_consistency (str): ``'zeros'`` (official) or ``'ones'``.
            Defaults to ``'zeros'``.
        center_peaks (bool): Centre each Gaussian on its point (a
            deviation from the official placement). Defaults to False.
        stop_runs_at_border (bool): Stop the run lengths at the border (a
            deviation from the official wrap-around). Defaults to False.
    """

    def __init__(self,
                 input_size: Tuple[int, int] = (384, 384),
                 heatmap_size: Tuple[int, int] = (96, 96),
                 min_overlap: float = 0.7,
                 adaptive_sigma: bool = True,
                 sigma: float = 2.,
                 real_consistency: str = 'zeros',
                 center_peaks: bool = False,
                 stop_runs_at_border: bool = False) -> None:
        super().__init__()
        if real_consistency not in ('zeros', 'ones'):
            raise ValueError("real_consistency must be 'zeros' or 'ones', "
                             f'got {real_consistency!r}.')
        self.input_size = tuple(input_size)
        self.heatmap_size = tuple(heatmap_size)
        self.min_overlap = min_overlap
        self.adaptive_sigma = adaptive_sigma
        self.sigma = sigma
        self.real_consistency = real_consistency
        self.center_peaks = center_peaks
        self.stop_runs_at_border = stop_runs_at_border

    def encode(self, boundary: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        """Heatmap and consistency (both (h, w) float32) of a fake's B."""
        return encode_blend_targets(
            boundary,
            min_overlap=self.min_overlap,
            adaptive_sigma=self.adaptive_sigma,
            sigma=self.sigma,
            center_peaks=self.center_peaks,
            stop_runs_at_border=self.stop_runs_at_border)

    def transform(self, results: dict) -> dict:
        """Add the targets of every view.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with ``heatmap`` and ``consistency``.
        """
        w, h = self.heatmap_size
        for suffix in view_suffixes(results):
            boundary = results['boundary_map' + suffix]
            if boundary.shape[:2] != (h, w):
                raise ValueError(
                    describe_failure(
                        results, f'boundary_map{suffix} is '
                        f'{boundary.shape[1]}x{boundary.shape[0]}, expected '
                        f'the heatmap size {w}x{h}; put LetterboxWarp '
                        'before GenerateBlendTargets'))
            if int(results['gt_label' + suffix]) == 1:
                heatmap, consistency = self.encode(boundary)
            else:
                heatmap = np.zeros((h, w), np.float32)
                fill = 1. if self.real_consistency == 'ones' else 0.
                consistency = np.full((h, w), fill, np.float32)
            results['heatmap' + suffix] = heatmap[None]
            results['consistency' + suffix] = consistency[None]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(input_size={self.input_size}, '
                f'heatmap_size={self.heatmap_size}, '
                f'min_overlap={self.min_overlap}, '
                f'adaptive_sigma={self.adaptive_sigma}, sigma={self.sigma}, '
                f"real_consistency='{self.real_consistency}', "
                f'center_peaks={self.center_peaks}, '
                f'stop_runs_at_border={self.stop_runs_at_border})')
