# Copyright (c) laanet contributors. All rights reserved.
"""Face X-ray style blending of two different faces (BI)."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.registry import TRANSFORMS
from .blend_utils import (HULL_TYPES, blend, boundary_map, color_transfer,
                          erode_dilate, feather_mask, grid_deform, hull_mask)
from .target_codec import quantize_boundary
from .views import describe_failure, fake_video_id


@TRANSFORMS.register_module()
class BlendImages(BaseTransform):
    """Blend a partner face into the frame (Face X-ray "BI" synthesis).

    Follows Face X-ray (Li et al., "Face X-ray for More General Face
    Forgery Detection", CVPR 2020) as used by LAA-Net's BI variant: with
    ``prob_fake`` the frame becomes a fake, otherwise it stays real. For a
    fake, a partner from the annotation's ``best_match`` list (nearest
    landmarks, another video) is blended in:

    1. both faces are resized to a random working size (a fraction
       ``work_size_ratio`` of the frame; the official code uses
       randint(128, 317) on 317-px faces, i.e. the same fractions);
    2. a hull mask of a random type from the frame's landmarks;
    3. a piecewise deformation of the mask (random offsets of a
       ``deform_grid`` of control points, std ``U(deform_scale)`` of the
       image size; imgaug's PiecewiseAffine in the official code);
    4. with ``erode_prob`` an erosion, otherwise a dilation, with a random
       odd square kernel;
    5. the partner's mean colour inside the mask is shifted to the
       frame's;
    6. feathered blending: weights ``M = clip(d / (feather·size), 0, 1)``
       with d the distance to the mask edge;
    7. back to the frame size; ``B = 4M(1 − M)``.

    Then, for real and fake alike, with ``downscale_prob`` the image is
    down-sampled to a random fraction ``downscale_ratio`` (bilinear or
    nearest) and resized back. Everything is relative to the frame size,
    so 256-px crops work (the official code assumes 317-px faces and
    misaligns the hull on others).

    Required Keys:

    - img (BGR uint8), landmarks ((N, 2))
    - best_match (list[str]): absolute paths of partner images

    Modified Keys:

    - img, img_shape

    Added Keys:

    - gt_label: 0 real, 1 fake
    - blend_mask: (H, W) float32 M (zeros for real)
    - boundary_map: (H, W) B, uint8 ``255·B`` as the official pipeline
      stores it (float32 with ``quantize_boundary=False``); zeros for real
    - manipulation: ``'BI'`` for a fake
    - video_id (modified): ``'BI/<video_id>'`` for a fake
    - partner_path: the partner used (fakes only)

    Args:
        prob_fake (float): Probability of a fake. Defaults to 0.5.
        hull_types (Sequence[str]): Hull types drawn uniformly.
            Defaults to all four.
        work_size_ratio (tuple[float, float]): Working size as a fraction
            of the frame size (high end inclusive).
            Defaults to (128 / 317, 1.0).
        deform_scale (tuple[float, float]): Range of the control-point
            offset std, as a fraction of the image size.
            Defaults to (0.01, 0.15).
        deform_grid (tuple[int, int]): Control points (rows, cols).
            Defaults to (4, 4).
        erode_prob (float): Erosion (vs dilation) probability.
            Defaults to 0.5.
        erode_kernel (tuple[int, int]): Erosion kernel range, inclusive,
            made odd. Defaults to (1, 21).
        dilate_kernel (tuple[int, int]): Dilation kernel range, inclusive,
            made odd. Defaults to (1, 5).
        feather (float): Feather amount. Defaults to 0.2.
        downscale_prob (float): Down/up-sampling probability.
            Defaults to 0.5.
        downscale_ratio (tuple[float, float]): Down-sampling size as a
            fraction of the frame (high end inclusive).
            Defaults to (64 / 317, 1.0).
        crop_box_ratio (tuple[float, float, float, float], optional): Crop
            ``(x0, y0, x1, y1)`` as fractions of the frame after blending;
            the official 317-px crop ``[60:317, 30:287]`` is
            ``(30/317, 60/317, 287/317, 1.0)``. Defaults to None (no crop;
            the toolbox's crops are already tight).
        quantize_boundary (bool): Store B as ``uint8(255·B)``, truncated
            (official). Defaults to True.
    """

    def __init__(self,
                 prob_fake: float = 0.5,
                 hull_types: Sequence[str] = HULL_TYPES,
                 work_size_ratio: Tuple[float, float] = (128 / 317, 1.0),
                 deform_scale: Tuple[float, float] = (0.01, 0.15),
                 deform_grid: Tuple[int, int] = (4, 4),
                 erode_prob: float = 0.5,
                 erode_kernel: Tuple[int, int] = (1, 21),
                 dilate_kernel: Tuple[int, int] = (1, 5),
                 feather: float = 0.2,
                 downscale_prob: float = 0.5,
                 downscale_ratio: Tuple[float, float] = (64 / 317, 1.0),
                 crop_box_ratio: Optional[Tuple[float, float, float,
                                                float]] = None,
                 quantize_boundary: bool = True) -> None:
        super().__init__()
        if set(hull_types) - set(HULL_TYPES) or not hull_types:
            raise ValueError(f'hull_types must be a non-empty subset of '
                             f'{HULL_TYPES}, got {hull_types}.')
        self.prob_fake = prob_fake
        self.hull_types = tuple(hull_types)
        self.work_size_ratio = tuple(work_size_ratio)
        self.deform_scale = tuple(deform_scale)
        self.deform_grid = tuple(deform_grid)
        self.erode_prob = erode_prob
        self.erode_kernel = tuple(erode_kernel)
        self.dilate_kernel = tuple(dilate_kernel)
        self.feather = feather
        self.downscale_prob = downscale_prob
        self.downscale_ratio = tuple(downscale_ratio)
        self.crop_box_ratio = (
            None if crop_box_ratio is None else tuple(crop_box_ratio))
        self.quantize_boundary = quantize_boundary

    @staticmethod
    def _odd(k: int) -> int:
        return k if k % 2 else k + 1

    @cache_randomness
    def _rand_params(self, shape: Tuple[int, int], num_partners: int) -> dict:
        """Draw every random choice of one sample."""
        rng = np.random
        size = max(shape)
        fake = rng.rand() < self.prob_fake
        erode = rng.rand() < self.erode_prob
        k_range = self.erode_kernel if erode else self.dilate_kernel
        rows, cols = self.deform_grid
        lo, hi = self.work_size_ratio
        d_lo, d_hi = self.downscale_ratio
        return dict(
            fake=fake,
            partner=rng.randint(num_partners) if num_partners else None,
            work_size=rng.randint(int(lo * size), int(hi * size) + 1),
            hull_type=self.hull_types[rng.randint(len(self.hull_types))],
            deform_std=rng.uniform(*self.deform_scale),
            deform_noise=rng.randn(2, rows, cols).astype(np.float32),
            erode=erode,
            ksize=self._odd(rng.randint(k_range[0], k_range[1] + 1)),
            downscale=rng.rand() < self.downscale_prob,
            down_size=rng.randint(int(d_lo * size), int(d_hi * size) + 1),
            down_interp=(cv2.INTER_LINEAR
                         if rng.rand() < 0.5 else cv2.INTER_NEAREST))

    def _load_partner(self, results: dict, path: str,
                      shape: Tuple[int, int]) -> np.ndarray:
        """Read a partner face and resize it to the frame."""
        partner = cv2.imread(path, cv2.IMREAD_COLOR)
        if partner is None:
            raise ValueError(
                describe_failure(results,
                                 f'cannot read best_match image {path}'))
        if partner.shape[:2] != shape:
            partner = cv2.resize(partner, (shape[1], shape[0]))
        return partner

    def _blend(self, img: np.ndarray, partner: np.ndarray,
               lms: np.ndarray, p: dict) -> Tuple[np.ndarray, np.ndarray]:
        """Return ``(fake, M)`` at the frame size."""
        h, w = img.shape[:2]
        k = p['work_size'] / max(h, w)
        wh = (max(1, int(round(w * k))), max(1, int(round(h * k))))
        bg = cv2.resize(img, wh)
        fg = cv2.resize(partner, wh)
        mask = hull_mask(lms * k, (wh[1], wh[0]), p['hull_type'])
        offsets = p['deform_noise'] * p['deform_std'] * np.float32(
            max(wh))
        mask = grid_deform(mask, offsets)
        mask = erode_dilate(mask, p['erode'], p['ksize'])
        fg = color_transfer(fg, bg, mask)
        weights = feather_mask(mask, self.feather)
        fake = blend(fg, bg, weights)
        fake = cv2.resize(fake, (w, h))
        weights = np.clip(cv2.resize(weights, (w, h)), 0, 1)
        return fake, weights

    def transform(self, results: dict) -> dict:
        """Make the sample real or BI-fake.

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with the keys listed above.
        """
        img = results['img']
        h, w = img.shape[:2]
        partners = list(results.get('best_match') or [])
        p = self._rand_params((h, w), len(partners))
        mask = np.zeros((h, w), np.float32)
        label = 0
        if p['fake']:
            if not partners:
                raise ValueError(
                    describe_failure(
                        results, 'BI needs partner faces but `best_match` '
                        'is empty; build it with '
                        'tools/dataset_converters/'
                        'search_similar_landmarks.py'))
            path = partners[p['partner']]
            partner = self._load_partner(results, path, (h, w))
            lms = np.asarray(results['landmarks'], np.float32)
            try:
                img, mask = self._blend(img, partner, lms, p)
            except (ValueError, cv2.error) as err:
                raise ValueError(
                    describe_failure(results,
                                     f'BI blending failed: {err}')) from err
            label = 1
            results['partner_path'] = path
            results['manipulation'] = 'BI'
            if results.get('video_id') is not None:
                results['video_id'] = fake_video_id(results['video_id'], 'BI')
        if p['downscale']:
            small = max(1, p['down_size'])
            k = small / max(h, w)
            size = (max(1, int(round(w * k))), max(1, int(round(h * k))))
            img = cv2.resize(img, size, interpolation=p['down_interp'])
            img = cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)
        if self.crop_box_ratio is not None:
            x0, y0, x1, y1 = self.crop_box_ratio
            box = (slice(int(y0 * h), int(y1 * h)),
                   slice(int(x0 * w), int(x1 * w)))
            img, mask = img[box], mask[box]
        results['img'] = np.ascontiguousarray(img)
        results['gt_label'] = label
        results['blend_mask'] = np.ascontiguousarray(mask)
        boundary = boundary_map(results['blend_mask'])
        if self.quantize_boundary:
            boundary = quantize_boundary(boundary)
        results['boundary_map'] = boundary
        results['img_shape'] = img.shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(prob_fake={self.prob_fake}, '
                f'hull_types={self.hull_types}, '
                f'work_size_ratio={self.work_size_ratio}, '
                f'deform_scale={self.deform_scale}, '
                f'deform_grid={self.deform_grid}, '
                f'erode_prob={self.erode_prob}, '
                f'erode_kernel={self.erode_kernel}, '
                f'dilate_kernel={self.dilate_kernel}, '
                f'feather={self.feather}, '
                f'downscale_prob={self.downscale_prob}, '
                f'downscale_ratio={self.downscale_ratio}, '
                f'crop_box_ratio={self.crop_box_ratio}, '
                f'quantize_boundary={self.quantize_boundary})')
