# Copyright (c) laanet contributors. All rights reserved.
"""Self-Blended Images (SBI) synthesis."""
from typing import List, Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmcv.transforms.utils import cache_randomness

from laanet.codecs.blend_targets import quantize_boundary
from laanet.registry import TRANSFORMS
from .functional.albu_utils import apply_albu_bgr, build_albu_compose
from .functional.blend_utils import (HULL_TYPES, blend, blend_mask,
                                     boundary_map, hull_mask)
from .functional.landmark_utils import hflip_landmarks, reorder_landmarks
from .functional.sbi_presets import SBI_SOURCE_TRANSFORMS
from .functional.views import FAKE_SUFFIX, describe_failure, fake_video_id
from .functional.warp_utils import affine_matrix, elastic_displacement, remap


@TRANSFORMS.register_module()
class SelfBlend(BaseTransform):
    """Self-Blended Images: blend a real face with an altered copy of itself.

    Implements SBI (Shiohara and Yamasaki, "Detecting Deepfakes with
    Self-Blended Images", CVPR 2022) with LAA-Net's changes (Nguyen et al.,
    CVPR 2024): size-relative mask jitter, the un-scaled blend mask and the
    blending-boundary map ``B = 4M(1 − M)`` (Face X-ray, Li et al., CVPR
    2020) as the localisation target. Steps:

    1. 81-point sets get their forehead points in contour order.
    2. With ``hflip_prob``, a landmark-aware horizontal flip (x → W − x,
       as the official code maps the points; ``exact_flip=True`` maps them
       to W − 1 − x, the true mirror of ``cv2.flip``).
    3. With ``drop_forehead_prob``, only the first 68 points are used.
    4. A hull mask of a random type (``hull_types``).
    5. The source is a copy of the target taken *before* either is
       augmented; with ``source_aug_prob`` the source, otherwise the target
       (and thus the returned real), gets ``source_transforms``, so the
       blended face always differs in colour and sharpness from its
       surroundings.
    6. A random affine of source and mask (x and y scales drawn
       independently, as albumentations 1.x ``Affine`` does), an elastic
       deformation of the mask only.
    7. The two-blur blend mask M with size jitter, a random blend ratio,
       ``fake = r·M·source + (1 − r·M)·target``.
    8. A random ``margin`` crop of every side of both images and masks;
       the boundary map is stored as ``uint8(255·B)`` (truncated) right
       there, as the official pipeline does, so the later warps interpolate
       the quantised map and the heatmap's tied maxima are the official
       ones (``quantize_boundary``).

    Randomness is drawn in :meth:`draw_params` from ``np.random``
    (seeded per worker by MMEngine).

    Required Keys:

    - img (BGR uint8)
    - landmarks ((N, 2), N = 68 or 81)
    - face_box (optional): flipped and cropped like the image

    Modified Keys:

    - img: the real face (pairs, or single real samples) or the fake
    - img_shape
    - landmarks, face_box: flipped and cropped like the image
    - flip

    Added Keys:

    - gt_label: 0 for the real view, 1 for a fake one
    - blend_mask: (H, W) float32 M (zeros for a real view)
    - boundary_map: (H, W) B = 4M(1 − M), uint8 ``255·B`` (float32 in
      [0, 1] with ``quantize_boundary=False``); zeros for a real view
    - manipulation: ``'SBI'`` for a fake single sample
    - video_id (modified): ``'SBI/<video_id>'`` for a fake single sample
    - img_fake, gt_label_fake, blend_mask_fake, boundary_map_fake,
      manipulation_fake (``'SBI'``), video_id_fake (``'SBI/<video_id>'``):
      the fake view (``pair=True`` only; the pair contract is in
      :mod:`laanet.datasets.transforms.functional.views`)

    Args:
        pair (bool): Emit the real and the fake together (the official
            behaviour). If False, emit one sample: the fake with
            ``prob_fake``, else the real. Defaults to True.
        prob_fake (float): Fake probability when ``pair=False``.
            Defaults to 0.5.
        hflip_prob (float): Landmark-aware flip probability.
            Defaults to 0.5.
        drop_forehead_prob (float): Probability of using only 68 of 81
            points. Defaults to 0.25.
        hull_types (Sequence[str]): Hull types drawn uniformly.
            Defaults to all four (``blend_utils.HULL_TYPES``).
        source_aug_prob (float): Probability that the source (not the
            target) is augmented. Defaults to 0.5.
        source_transforms (list[dict], optional): albumentations 2.x dicts
            for the source/target augmentation. Defaults to SBI's.
        translate (tuple[float, float]): Max |translation| of the source
            affine as fractions of (W, H). Defaults to (0.03, 0.015).
        scale (tuple[float, float]): Scale range of the source affine.
            Defaults to (0.95, 1 / 0.95).
        isotropic_scale (bool): Draw one scale for both axes (a deviation;
            the official x and y scales are independent).
            Defaults to False.
        elastic_alpha (float): Elastic displacement scale (pixels).
            Defaults to 50.
        elastic_sigma (float): Elastic smoothing sigma. Defaults to 7.
        elastic_grid (int): The elastic noise is drawn on a grid this many
            times coarser and the smooth field upsampled (statistically the
            same field, far cheaper; 1 = per pixel). Defaults to 4.
        mask_resize_ratio (tuple[float, float]): Range of the mask's size
            jitter relative to the image (high end excluded; LAA-Net's).
            Defaults to (0.8, 1 / 0.8).
        mask_resize_size (tuple[int, int], optional): Instead, an absolute
            range in pixels for the jittered height and width, high end
            excluded (the SBI code's ``(192, 257)``, whatever the image
            size). Defaults to None (use ``mask_resize_ratio``).
        blur_kernel_range (tuple[int, int]): Odd kernel sizes of both
            blurs, inclusive. Defaults to (5, 25).
        blur_sigma_range (tuple[int, int]): Integer sigma of the second
            blur, high end excluded. Defaults to (5, 46).
        blend_ratios (Sequence[float]): Blend ratios drawn uniformly.
            Defaults to (0.25, 0.5, 0.75, 1, 1, 1).
        margin_range (tuple[int, int]): Margin cropped from each side,
            high end excluded. Defaults to (5, 25).
        min_hull_area (float): Smallest face hull, as a fraction of the
            image, accepted as a face; smaller ones (degenerate landmarks)
            raise. Defaults to 0.01.
        exact_flip (bool): Mirror the landmarks to W − 1 − x (a fix that
            moves the hull by one pixel; the official W − x is the
            default). Defaults to False.
        quantize_boundary (bool): Store B as ``uint8(255·B)`` after the
            crop (official). False keeps float32 B (a deviation: more tied
            maxima after the warp, so more heatmap peaks).
            Defaults to True.
    """

    def __init__(self,
                 pair: bool = True,
                 prob_fake: float = 0.5,
                 hflip_prob: float = 0.5,
                 drop_forehead_prob: float = 0.25,
                 hull_types: Sequence[str] = HULL_TYPES,
                 source_aug_prob: float = 0.5,
                 source_transforms: Optional[List[dict]] = None,
                 translate: Tuple[float, float] = (0.03, 0.015),
                 scale: Tuple[float, float] = (0.95, 1 / 0.95),
                 isotropic_scale: bool = False,
                 elastic_alpha: float = 50.,
                 elastic_sigma: float = 7.,
                 elastic_grid: int = 4,
                 mask_resize_ratio: Tuple[float, float] = (0.8, 1 / 0.8),
                 mask_resize_size: Optional[Tuple[int, int]] = None,
                 blur_kernel_range: Tuple[int, int] = (5, 25),
                 blur_sigma_range: Tuple[int, int] = (5, 46),
                 blend_ratios: Sequence[float] = (0.25, 0.5, 0.75, 1., 1.,
                                                  1.),
                 margin_range: Tuple[int, int] = (5, 25),
                 min_hull_area: float = 0.01,
                 exact_flip: bool = False,
                 quantize_boundary: bool = True) -> None:
        super().__init__()
        unknown = set(hull_types) - set(HULL_TYPES)
        if unknown or not hull_types:
            raise ValueError(f'hull_types must be a non-empty subset of '
                             f'{HULL_TYPES}, got {hull_types}.')
        if blur_kernel_range[0] % 2 == 0 or blur_kernel_range[1] % 2 == 0:
            raise ValueError('blur_kernel_range must hold odd sizes, got '
                             f'{blur_kernel_range}.')
        self.pair = pair
        self.prob_fake = prob_fake
        self.hflip_prob = hflip_prob
        self.drop_forehead_prob = drop_forehead_prob
        self.hull_types = tuple(hull_types)
        self.source_aug_prob = source_aug_prob
        self.source_transforms = (
            SBI_SOURCE_TRANSFORMS
            if source_transforms is None else source_transforms)
        self._source_aug = build_albu_compose(self.source_transforms)
        self.translate = tuple(translate)
        self.scale = tuple(scale)
        self.isotropic_scale = isotropic_scale
        self.elastic_alpha = elastic_alpha
        self.elastic_sigma = elastic_sigma
        self.elastic_grid = elastic_grid
        self.mask_resize_ratio = tuple(mask_resize_ratio)
        if mask_resize_size is not None and not (
                0 < mask_resize_size[0] < mask_resize_size[1]):
            raise ValueError('mask_resize_size must be (low, high) with '
                             f'0 < low < high, got {mask_resize_size}.')
        self.mask_resize_size = (None if mask_resize_size is None else tuple(
            int(v) for v in mask_resize_size))
        self.blur_kernel_range = tuple(blur_kernel_range)
        self.blur_sigma_range = tuple(blur_sigma_range)
        self.blend_ratios = tuple(blend_ratios)
        self.margin_range = tuple(margin_range)
        self.min_hull_area = min_hull_area
        self.exact_flip = exact_flip
        self.quantize_boundary = quantize_boundary

    @cache_randomness
    def draw_params(self, shape: Tuple[int, int], num_points: int) -> dict:
        """Draw every random choice of one sample (:class:`VideoSelfBlend`
        draws once per clip and replays it with :meth:`make_views`).

        Args:
            shape (tuple[int, int]): (H, W) of the image.
            num_points (int): Number of landmarks (68 or 81).

        Returns:
            dict: The parameters :meth:`make_views` takes.
        """
        h, w = shape
        rng = np.random
        lo, hi = self.mask_resize_ratio
        h_range = (int(lo * h), int(hi * h))
        w_range = (int(lo * w), int(hi * w))
        if self.mask_resize_size is not None:
            h_range = w_range = self.mask_resize_size
        k_lo, k_hi = self.blur_kernel_range
        return dict(
            fake=(self.pair or rng.rand() < self.prob_fake),
            flip=rng.rand() < self.hflip_prob,
            drop_forehead=(num_points > 68
                           and rng.rand() < self.drop_forehead_prob),
            hull_type=self.hull_types[rng.randint(len(self.hull_types))],
            aug_source=rng.rand() < self.source_aug_prob,
            albu_seed=rng.randint(2**31),
            affine_scale=rng.uniform(*self.scale,
                                     size=1 if self.isotropic_scale else 2),
            tx=rng.uniform(-self.translate[0], self.translate[0]) * w,
            ty=rng.uniform(-self.translate[1], self.translate[1]) * h,
            elastic_noise=rng.uniform(
                -1, 1, (2, -(-h // self.elastic_grid),
                        -(-w // self.elastic_grid))).astype(np.float32),
            resize_hw=(rng.randint(*h_range), rng.randint(*w_range)),
            ksize1=int(rng.choice(np.arange(k_lo, k_hi + 1, 2))),
            ksize2=int(rng.choice(np.arange(k_lo, k_hi + 1, 2))),
            sigma2=float(rng.randint(*self.blur_sigma_range)),
            ratio=float(self.blend_ratios[rng.randint(len(
                self.blend_ratios))]),
            margin=int(rng.randint(*self.margin_range)))

    def _synthesize(self, img: np.ndarray, lms: np.ndarray,
                    p: dict) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return ``(real, fake, M)`` at the input size."""
        h, w = img.shape[:2]
        if p['drop_forehead']:
            lms = lms[:68]
        hull = hull_mask(lms, (h, w), p['hull_type'])
        if hull.sum() < self.min_hull_area * h * w:
            raise ValueError(
                f"the {p['hull_type']} hull covers only {int(hull.sum())} "
                f'px of the {w}x{h} image (degenerate landmarks?)')
        # the source is the un-augmented target: whichever side is
        # augmented, the blended face differs from its surroundings
        source = img.copy()
        augmented = apply_albu_bgr(self._source_aug, p['albu_seed'],
                                   dict(image=img))['image']
        if p['aug_source']:
            source = augmented
        else:
            img = augmented
        sx, sy = np.broadcast_to(p['affine_scale'], 2)
        mat = affine_matrix((h, w), (sx, sy), p['tx'], p['ty'])
        source = cv2.warpAffine(source, mat, (w, h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_CONSTANT)
        dx, dy = elastic_displacement(p['elastic_noise'],
                                      self.elastic_alpha,
                                      self.elastic_sigma, (h, w))
        # the affine and the elastic field in one nearest-neighbour remap
        hull = remap(hull, dx, dy, cv2.INTER_NEAREST,
                     cv2.invertAffineTransform(mat))
        mask = blend_mask(hull, p['resize_hw'], p['ksize1'], p['ksize2'],
                          p['sigma2'])
        fake = blend(source, img, mask, p['ratio'])
        return img, fake, mask

    def make_views(self, img: np.ndarray, lms: np.ndarray, p: dict,
                   results: dict) -> dict:
        """Flip, blend and margin-crop one image; deterministic given ``p``.

        Args:
            img (np.ndarray): BGR uint8 (H, W, 3) image.
            lms (np.ndarray): (N, 2) landmarks, forehead points already in
                contour order (:func:`reorder_landmarks`).
            p (dict): Parameters from :meth:`draw_params`.
            results (dict): The result dict, to name the file on failure.

        Returns:
            dict: ``real``, ``fake`` (None for a real sample), ``mask``
            (M), ``boundary`` (B) and ``landmarks``, flipped and cropped.
        """
        h, w = img.shape[:2]
        if p['flip']:
            img = cv2.flip(img, 1)
            lms = hflip_landmarks(lms, w, exact=self.exact_flip)
        if p['fake']:
            try:
                real, fake, mask = self._synthesize(img, lms, p)
            except (ValueError, cv2.error) as err:
                raise ValueError(
                    describe_failure(results,
                                     f'SBI synthesis failed: {err}')) \
                    from err
        else:
            real, fake, mask = img, None, np.zeros((h, w), np.float32)
        m = p['margin']
        if 2 * m >= min(h, w):
            raise ValueError(
                describe_failure(
                    results, f'the {w}x{h} image is too small for a '
                    f'{m}-px margin crop'))
        crop = (slice(m, h - m), slice(m, w - m))
        boundary = boundary_map(mask)
        if self.quantize_boundary:
            boundary = quantize_boundary(boundary)
        return dict(
            real=real[crop],
            fake=None if fake is None else fake[crop],
            mask=mask[crop],
            boundary=boundary[crop],
            landmarks=lms - m)

    def transform(self, results: dict) -> dict:
        """Synthesise the SBI sample (or pair).

        Args:
            results (dict): The result dict.

        Returns:
            dict: The result dict with the keys listed above.
        """
        img = results['img']
        h, w = img.shape[:2]
        lms = reorder_landmarks(np.asarray(results['landmarks']))
        p = self.draw_params((h, w), len(lms))
        results['flip'] = bool(results.get('flip', False)) ^ p['flip']
        box = results.get('face_box')
        if box is not None:  # the detector's box, for FaceBoxCrop
            box = np.asarray(box, dtype=np.float64).reshape(4)
            if p['flip']:
                box = np.array([w - box[2], box[1], w - box[0], box[3]])
        views = self.make_views(img, lms, p, results)
        zeros = np.zeros_like(views['mask'])
        zeros_b = np.zeros_like(views['boundary'])
        if self.pair or not p['fake']:
            results.update(
                img=views['real'], gt_label=0, blend_mask=zeros,
                boundary_map=zeros_b)
        # the fake is named here, by the synthesis that made it
        fake_meta = dict(manipulation='SBI')
        if results.get('video_id') is not None:
            fake_meta['video_id'] = fake_video_id(results['video_id'], 'SBI')
        if self.pair:
            results.update(
                img_fake=views['fake'], gt_label_fake=1,
                blend_mask_fake=views['mask'],
                boundary_map_fake=views['boundary'],
                **{k + FAKE_SUFFIX: v for k, v in fake_meta.items()})
        elif p['fake']:
            results.update(
                img=views['fake'], gt_label=1, blend_mask=views['mask'],
                boundary_map=views['boundary'], **fake_meta)
        results['landmarks'] = views['landmarks']
        if box is not None:
            results['face_box'] = (box - p['margin']).tolist()
        results['img_shape'] = results['img'].shape[:2]
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(pair={self.pair}, '
                f'prob_fake={self.prob_fake}, hflip_prob={self.hflip_prob}, '
                f'drop_forehead_prob={self.drop_forehead_prob}, '
                f'hull_types={self.hull_types}, '
                f'source_aug_prob={self.source_aug_prob}, '
                f'source_transforms={self.source_transforms}, '
                f'translate={self.translate}, scale={self.scale}, '
                f'isotropic_scale={self.isotropic_scale}, '
                f'elastic_alpha={self.elastic_alpha}, '
                f'elastic_sigma={self.elastic_sigma}, '
                f'elastic_grid={self.elastic_grid}, '
                f'mask_resize_ratio={self.mask_resize_ratio}, '
                f'mask_resize_size={self.mask_resize_size}, '
                f'blur_kernel_range={self.blur_kernel_range}, '
                f'blur_sigma_range={self.blur_sigma_range}, '
                f'blend_ratios={self.blend_ratios}, '
                f'margin_range={self.margin_range}, '
                f'min_hull_area={self.min_hull_area}, '
                f'exact_flip={self.exact_flip}, '
                f'quantize_boundary={self.quantize_boundary})')
