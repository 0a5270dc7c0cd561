# Copyright (c) laanet contributors. All rights reserved.
"""Face X-ray style blending of two different faces (BI)."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio
from mmcv.transforms.utils import cache_randomness

from laanet.codecs.blend_targets import quantize_boundary
from laanet.registry import TRANSFORMS
from .functional.blend_utils import HULL_TYPES, hull_mask
from .functional.face_xray_utils import (binary_erode_dilate,
                                         draw_piecewise_affine,
                                         feathered_blend, hull_feather_weights,
                                         masked_color_transfer, pil_resize,
                                         piecewise_affine, sk_resize)
from .functional.views import describe_failure, fake_video_id

# the official fixed crop [60:317, 30:287] of the 317-px face, (x0, y0,
# x1, y1) as fractions of the frame
OFFICIAL_CROP = (30 / 317, 60 / 317, 287 / 317, 1.0)


def _nonzero_box(mask: np.ndarray) -> Optional[Tuple[int, int, int, int]]:
    """``(y0, y1, x0, x1)`` bounding the non-zero pixels, or None."""
    rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
    if not len(rows):
        return None
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def _reach(shape_in: Tuple[int, int], shape_out: Tuple[int, int],
           box: Tuple[int, int, int, int]) -> Tuple[int, int, int, int]:
    """Output window whose bilinear resize samples can touch ``box``.

    Output pixel k samples input coordinate (k + 0.5)·n_in/n_out − 0.5 and
    its two neighbours, so outside this window (plus a margin) every
    sample of a map that is 0 outside ``box`` is exactly 0.
    """
    out = []
    for n_in, n_out, lo, hi in zip(shape_in, shape_out, box[::2],
                                   box[1::2]):
        zoom = n_in / n_out
        k0 = int(np.floor((lo - 1 + 0.5) / zoom - 0.5)) - 2
        k1 = int(np.ceil((hi + 0.5) / zoom - 0.5)) + 3
        out += [max(0, k0), min(n_out, k1)]
    return out[0], out[1], out[2], out[3]


@TRANSFORMS.register_module()
class BlendImages(BaseTransform):
    """Blend a partner face into the frame (Face X-ray "BI" synthesis).

    Follows Face X-ray (Li et al., "Face X-ray for More General Face
    Forgery Detection", CVPR 2020) step by step as LAA-Net's BI variant
    runs it (laanet-reference §3.6): with ``prob_fake`` the frame becomes a
    fake, otherwise it stays real. For a fake, a partner from the
    annotation's ``best_match`` list is blended in:

    1. both faces are resized to a random square working size (a fraction
       ``work_size_ratio`` of the frame: randint(128, 317) on 317-px
       faces) with scikit-image (anti-aliased, truncated to uint8), the
       landmarks scaled alike;
    2. a hull mask of a random type from the truncated landmarks (binary);
    3. imgaug's ``PiecewiseAffine`` deformation of the mask: rows and
       columns of control points each uniform in ``deform_grid``, jitter
       N(0, σ)·size with σ uniform in ``deform_scale`` per sample;
    4. the mask is binarised (only exact 1.0 survives), then with
       ``erode_prob`` eroded, otherwise dilated, with a random odd square
       kernel; an empty mask raises;
    5. the partner's mean colour inside the mask is shifted to the
       frame's;
    6. feathered blending: ``M = clip(d / (feather · size), 0, 1)`` with d
       the distance to the convex hull of the mask pixels;
    7. both back to the frame size (scikit-image, the image truncated
       again, M not); ``B = 4M(1 − M)``.

    Then, for real and fake alike, with ``downscale_prob`` the image is
    down-sampled with PIL to a random fraction ``downscale_ratio``
    (bilinear or nearest, p 0.5 each) and resized back (PIL bilinear).
    Last, the fixed crop ``crop_box_ratio`` (the official [60:317, 30:287]
    of a 317-px face) of the image and the maps; B is stored as
    ``uint8(255·B)``. Every size is relative to the frame, so on 317-px
    faces every step is the official one; on other sizes the official code
    misaligns the hull (it scales the landmarks by ``size/317`` whatever
    the frame), which this class does not reproduce.

    The random draws come from ``np.random`` (seeded per worker by
    MMEngine). The official code draws the deformation from imgaug's own
    global generator, which every data-loader worker of every epoch starts
    in the same state; that repetition is not reproduced.

    Required Keys:

    - img (BGR uint8), landmarks ((N, 2))
    - best_match (list[str]): paths of partner images

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
            of the frame size (both ends inclusive).
            Defaults to (128 / 317, 1.0).
        deform_scale (tuple[float, float]): Range of the control-point
            jitter σ, as a fraction of the image size.
            Defaults to (0.01, 0.15).
        deform_grid (tuple[int, int]): Inclusive range of the number of
            control-point rows, and of columns (drawn independently).
            Defaults to (2, 4), imgaug's.
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
            fraction of the frame (both ends inclusive).
            Defaults to (64 / 317, 1.0).
        crop_box_ratio (tuple[float, float, float, float], optional): Crop
            ``(x0, y0, x1, y1)`` as fractions of the frame after blending.
            Defaults to the official ``(30/317, 60/317, 287/317, 1.0)``;
            None keeps the whole frame (a deviation).
        quantize_boundary (bool): Store B as ``uint8(255·B)``, truncated
            (official). Defaults to True.
    """

    def __init__(self,
                 prob_fake: float = 0.5,
                 hull_types: Sequence[str] = HULL_TYPES,
                 work_size_ratio: Tuple[float, float] = (128 / 317, 1.0),
                 deform_scale: Tuple[float, float] = (0.01, 0.15),
                 deform_grid: Tuple[int, int] = (2, 4),
                 erode_prob: float = 0.5,
                 erode_kernel: Tuple[int, int] = (1, 21),
                 dilate_kernel: Tuple[int, int] = (1, 5),
                 feather: float = 0.2,
                 downscale_prob: float = 0.5,
                 downscale_ratio: Tuple[float, float] = (64 / 317, 1.0),
                 crop_box_ratio: Optional[Tuple[float, float, float,
                                                float]] = OFFICIAL_CROP,
                 quantize_boundary: bool = True) -> None:
        super().__init__()
        if set(hull_types) - set(HULL_TYPES) or not hull_types:
            raise ValueError(f'hull_types must be a non-empty subset of '
                             f'{HULL_TYPES}, got {hull_types}.')
        if not 2 <= deform_grid[0] <= deform_grid[1]:
            raise ValueError('deform_grid must be (low, high) with '
                             f'2 <= low <= high, got {deform_grid}.')
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

    @staticmethod
    def _scaled(shape: Tuple[int, int], side: int) -> Tuple[int, int]:
        """(h, w) of ``shape`` with its longer side scaled to ``side``."""
        h, w = shape
        k = side / max(h, w)
        return max(1, int(round(h * k))), max(1, int(round(w * k)))

    @cache_randomness
    def _rand_params(self, shape: Tuple[int, int], num_partners: int) -> dict:
        """Draw every random choice of one sample."""
        rng = np.random
        size = max(shape)
        lo, hi = (int(round(r * size)) for r in self.work_size_ratio)
        d_lo, d_hi = (int(round(r * size)) for r in self.downscale_ratio)
        fake = rng.rand() < self.prob_fake
        partner = rng.randint(num_partners) if num_partners else None
        work_size = rng.randint(lo, hi + 1)
        hull_type = self.hull_types[rng.randint(len(self.hull_types))]
        deform = draw_piecewise_affine(rng, self.deform_grid,
                                       self.deform_scale)
        erode = rng.rand() < self.erode_prob
        k_range = self.erode_kernel if erode else self.dilate_kernel
        return dict(
            fake=fake,
            partner=partner,
            work_size=work_size,
            hull_type=hull_type,
            deform=deform,
            erode=erode,
            ksize=self._odd(rng.randint(k_range[0], k_range[1] + 1)),
            downscale=rng.rand() < self.downscale_prob,
            down_size=rng.randint(d_lo, d_hi + 1),
            down_interp='bilinear' if rng.rand() < 0.5 else 'nearest')

    @staticmethod
    def _load_partner(results: dict, path: str) -> np.ndarray:
        """Read a partner face (BGR, like the frame)."""
        # through MMEngine's file I/O (as LoadImageFromFile), so partners
        # in DeepfakeBench LMDB files (dfblmdb:// paths) are read too;
        # cv2.imdecode is what cv2.imread runs on the file's bytes
        try:
            buf = fileio.get(path)
        except FileNotFoundError:
            buf = None
        partner = None if buf is None else cv2.imdecode(
            np.frombuffer(buf, np.uint8), cv2.IMREAD_COLOR)
        if partner is None:
            raise ValueError(
                describe_failure(results,
                                 f'cannot read best_match image {path}'))
        return partner

    def _blend(self, img: np.ndarray, partner: np.ndarray,
               lms: np.ndarray, p: dict) -> Tuple[np.ndarray, np.ndarray]:
        """Return ``(fake, M)`` at the frame size, M float64."""
        h, w = img.shape[:2]
        wh, ww = self._scaled((h, w), p['work_size'])
        # float64 as the official landmarks (integers times a float)
        lms = np.asarray(lms, np.float64)[:, :2] * np.array([ww / w, wh / h])
        bg = sk_resize(img, (wh, ww))
        mask = hull_mask(lms, (wh, ww), p['hull_type'])
        mask = piecewise_affine(mask, **p['deform'])
        mask = binary_erode_dilate(mask, p['erode'], p['ksize'])
        box = _nonzero_box(mask)
        if box is None:
            raise ValueError('The blend mask is empty (no pixel left after '
                             'the deformation and erosion).')
        # the partner is only read inside the mask
        fg = np.zeros_like(bg)
        win = (slice(box[0], box[1]), slice(box[2], box[3]))
        fg[win] = sk_resize(partner, (wh, ww), window=box)
        fg = masked_color_transfer(fg, bg, mask)
        weights = hull_feather_weights(mask, self.feather)
        fake = sk_resize(feathered_blend(fg, bg, weights), (h, w))
        # M is 0 away from the mask: resize only the window it can reach
        out_box = _reach((wh, ww), (h, w), box)
        m = np.zeros((h, w), np.float64)
        m[out_box[0]:out_box[1], out_box[2]:out_box[3]] = sk_resize(
            weights, (h, w), to_uint8=False, window=out_box)
        return fake, m

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
        mask = np.zeros((h, w), np.float64)
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
            partner = self._load_partner(results, path)
            try:
                img, mask = self._blend(img, partner, results['landmarks'],
                                        p)
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
            sh, sw = self._scaled((h, w), p['down_size'])
            img = pil_resize(img, (sw, sh), p['down_interp'])
        img = pil_resize(img, (w, h), 'bilinear')
        # the official order of operations, in float64
        boundary = (1 - mask) * mask * 4
        if self.crop_box_ratio is not None:
            x0, y0, x1, y1 = self.crop_box_ratio
            box = (slice(int(round(y0 * h)), int(round(y1 * h))),
                   slice(int(round(x0 * w)), int(round(x1 * w))))
            img, mask, boundary = img[box], mask[box], boundary[box]
        results['img'] = np.ascontiguousarray(img)
        results['gt_label'] = label
        results['blend_mask'] = np.ascontiguousarray(mask, np.float32)
        if self.quantize_boundary:
            boundary = quantize_boundary(boundary)
        else:
            boundary = boundary.astype(np.float32)
        results['boundary_map'] = np.ascontiguousarray(boundary)
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
