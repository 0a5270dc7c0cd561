# Copyright (c) laanet contributors. All rights reserved.
"""The official BI training item, re-implemented for timing.

The official code is not a dependency (research-only licence): this is
written from the reference notes (laanet-reference §3.6 / §3.8) and used
only by ``benchmark_pipeline.py --reference official`` on a BI config.
"""
from typing import List

import cv2
import numpy as np
import torch
from PIL import Image

from laanet.datasets.transforms.functional import blend_utils, warp_utils
from .pipeline import OfficialReference


class OfficialBIReference(OfficialReference):
    """The official per-item BI steps, for a like-for-like timing.

    As the official ``HeatmapFaceForensic.__getitem__`` runs them on a
    317-px face: colour jitter; ``_gen_target`` (p 0.5 fake: scikit-image
    3-channel resizes, a 3-channel hull, imgaug's ``PiecewiseAffine``
    (scikit-image's transform and warp on the 3-channel mask), erode /
    dilate, colour transfer and the per-pixel ``cv2.pointPolygonTest`` loop
    of ``blendImages`` over the 3-channel mask indices, the resizes back);
    PIL down/up-sampling; the fixed crop; the geometric ``Compose``; the
    letterbox warps; the loop target encoder; float64 normalisation.

    Args:
        color_transforms (list[dict]): albumentations dicts of the colour
            jitter (the BI config's ``bi_color_jitter``).
    """

    def __init__(self, color_transforms: List[dict]) -> None:
        super().__init__()
        from laanet.datasets.transforms.functional.albu_utils import \
            build_albu_compose
        self.bi_color_aug = build_albu_compose(color_transforms)

    @staticmethod
    def _resize(img, size):
        from skimage import transform as sktransform
        return sktransform.resize(img, (size, size), preserve_range=True)

    @staticmethod
    def _deform(mask):
        """imgaug 0.4 ``PiecewiseAffine(scale=(0.01, 0.15))`` on 3 channels."""
        from skimage import transform as tf
        h, w = mask.shape[:2]
        rows, cols = np.random.randint(2, 5, size=2)
        jitter = np.random.normal(0, np.random.uniform(0.01, 0.15),
                                  (rows * cols, 2))
        xx, yy = np.meshgrid(np.linspace(0, w, cols),
                             np.linspace(0, h, rows))
        src = np.dstack([yy.flat, xx.flat])[0]
        dst = src + jitter * [h, w]
        dst[:, 0] = np.clip(dst[:, 0], 0, h - 1)
        dst[:, 1] = np.clip(dst[:, 1], 0, w - 1)
        tform = tf.PiecewiseAffineTransform.from_estimate(
            src[:, ::-1], dst[:, ::-1])
        return tf.warp(mask, tform, order=1, mode='constant', cval=0,
                       preserve_range=True,
                       output_shape=mask.shape).astype(np.float32)

    @staticmethod
    def _erode_dilate(mask):
        erode = np.random.rand() > 0.5
        k = np.random.randint(1, 22) if erode else np.random.randint(1, 6)
        k += 1 - k % 2
        op = cv2.erode if erode else cv2.dilate
        return op(np.array(mask).astype(np.uint8) * 255,
                  np.ones((k, k), np.uint8)) / 255

    @staticmethod
    def _color_transfer(src, dst, mask):
        out = np.copy(dst)
        idx = np.where(mask != 0)
        masked_src = src[idx[0], idx[1]].astype(np.int32)
        masked_dst = dst[idx[0], idx[1]].astype(np.int32)
        masked = masked_dst - masked_dst.mean(0) + masked_src.mean(0)
        out[idx[0], idx[1]] = np.clip(masked, 0, 255)
        return out

    @staticmethod
    def _blend_images(src, dst, mask, feather=0.2):
        idx = np.where(mask != 0)
        pts = np.stack([idx[1], idx[0]], 1)
        size = pts.max(0) - pts.min(0)
        feather = feather * np.max(size)
        hull = cv2.convexHull(pts.astype(np.int32))
        dists = np.zeros(len(pts))
        for i in range(len(pts)):
            dists[i] = cv2.pointPolygonTest(
                hull, (float(pts[i, 0]), float(pts[i, 1])), True)
        w = np.clip(dists / feather, 0, 1)[:, None]
        out = np.copy(dst)
        out[idx[0], idx[1]] = w * src[idx[0], idx[1]] + (
            1 - w) * dst[idx[0], idx[1]]
        weights = np.zeros_like(mask)
        weights[idx[0], idx[1]] = w
        return out, weights

    def _gen_bi(self, bg, lms, partner_path):
        fg = np.array(Image.open(partner_path))
        size = np.random.randint(128, 318)
        lms = lms * (size / 317)
        fg = self._resize(fg, size).astype(np.uint8)
        bg = self._resize(bg, size).astype(np.uint8)
        hull_type = blend_utils.HULL_TYPES[np.random.randint(4)]
        mask = np.repeat(
            blend_utils.hull_mask(lms, bg.shape[:2], hull_type)[..., None], 3,
            axis=2)
        mask = self._erode_dilate(self._deform(mask))
        if np.sum(mask) == 0:
            raise ValueError('empty mask')
        fg = self._color_transfer(bg, fg, mask * 255)
        blended, mask = self._blend_images(fg, bg, mask * 255)
        blended = self._resize(blended.astype(np.uint8),
                               317).astype(np.uint8)
        return blended, self._resize(mask, 317)[:, :, 0:1]

    def _gen_target(self, img, lms, partner_path):
        self.label = int(not np.random.randint(2))
        if not self.label:
            face, mask = img, np.zeros((317, 317, 1))
        else:
            face, mask = self._gen_bi(img, lms, partner_path)
            mask = (1 - mask) * mask * 4
        face = Image.fromarray(face)
        if np.random.randint(2):
            size = np.random.randint(64, 318)
            interp = Image.BILINEAR if np.random.randint(2) else Image.NEAREST
            face = face.resize((size, size), interp)
        face = np.array(face.resize((317, 317), Image.BILINEAR))
        face, mask = face[60:317, 30:287], mask[60:317, 30:287]
        return face, (np.repeat(mask, 3, 2) * 255).astype(np.uint8)

    def __call__(self, img_rgb, lms, partner_path):
        """One official BI item from an RGB crop, landmarks and a partner.

        Returns the normalised image, the heatmap, the consistency map and
        the label (1 fake).
        """
        self.bi_color_aug.set_random_seed(np.random.randint(2**31))
        img = self.bi_color_aug(image=img_rgb)['image']
        while True:  # the official loader retries a failed item
            try:
                img_t, mask = self._gen_target(img, lms, partner_path)
                break
            except ValueError:
                continue
        img_t, mask = self._geometry(img_t, mask)
        shape = img_t.shape[:2]  # BI: centre and scale after the geometry
        trans = warp_utils.letterbox_matrix(shape, (384, 384))
        trans_hm = warp_utils.letterbox_matrix(shape, (96, 96))
        img_t = cv2.warpAffine(img_t, trans, (384, 384),
                               flags=cv2.INTER_LINEAR)
        target = cv2.warpAffine(mask, trans_hm, (96, 96),
                                flags=cv2.INTER_LINEAR)
        heatmap, cst = self._encode(target)
        img64 = (img_t.astype(np.float64) / 255. - 0.5) / 0.5
        return (torch.from_numpy(img64.transpose(2, 0, 1).copy()),
                torch.from_numpy(heatmap), torch.from_numpy(cst / 255.),
                self.label)
