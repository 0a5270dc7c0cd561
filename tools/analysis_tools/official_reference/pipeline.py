# Copyright (c) laanet contributors. All rights reserved.
"""The official SBI training sample, re-implemented for timing.

The official code is not a dependency (research-only licence): this is
written from the reference notes (laanet-reference.md §3.1 / §3.4) and
used only by ``benchmark_pipeline.py --reference official``.
"""
import cv2
import numpy as np
import torch

from laanet.codecs import blend_targets
from laanet.datasets.transforms.functional import (blend_utils,
                                                   landmark_utils, warp_utils)


# --------------------------------------------------------------------------
# The official SBI sample, step by step (laanet-reference.md §3.1 / §3.4),
# re-implemented from the description for timing only: RGB arrays,
# albumentations Affine + ElasticTransform (1.1 semantics, the pinned
# version) on the whole source image (only the mask output is kept),
# float64 blending, uint8 masks, the geometric Compose rebuilt for every
# call, python-loop target encoding and float64 normalisation on the CPU.
# --------------------------------------------------------------------------
class OfficialReference:
    """The official per-pair steps, for a like-for-like timing."""

    def __init__(self):
        import albumentations as A
        from laanet.datasets.transforms.functional.albu_utils import \
            build_albu_compose
        from laanet.datasets.transforms.joint_color_aug import \
            SBI_COLOR_TRANSFORMS
        from laanet.datasets.transforms.self_blend import \
            SBI_SOURCE_TRANSFORMS
        self.A = A
        self.source_aug = build_albu_compose(SBI_SOURCE_TRANSFORMS)
        self.color_aug = build_albu_compose(
            SBI_COLOR_TRANSFORMS, additional_targets=dict(image1='image'))

    @staticmethod
    def _elastic_albu1(img, seed, interpolation):
        """albumentations 1.1 ``ElasticTransform(alpha=50, sigma=7,
        alpha_affine=0)`` as the official environment runs it: a (null)
        random affine warp, then per-pixel noise smoothed with scipy's
        float64 ``gaussian_filter`` for dx and dy, then a remap. Version 1.x
        recomputes the fields for the image and again for the mask."""
        from scipy.ndimage import gaussian_filter
        rng = np.random.RandomState(seed)
        h, w = img.shape[:2]
        centre = np.float32((h, w)) // 2
        side = min(h, w) // 3
        pts1 = np.float32([centre + side, [centre[0] + side,
                                           centre[1] - side],
                           centre - side])
        pts2 = pts1 + rng.uniform(0, 0, size=pts1.shape).astype(np.float32)
        mat = cv2.getAffineTransform(pts1, pts2)
        img = cv2.warpAffine(img, mat, (w, h), flags=interpolation,
                             borderMode=cv2.BORDER_REFLECT_101)
        dx = np.float32(gaussian_filter(rng.rand(h, w) * 2 - 1, 7) * 50)
        dy = np.float32(gaussian_filter(rng.rand(h, w) * 2 - 1, 7) * 50)
        x, y = np.meshgrid(np.arange(w), np.arange(h))
        return cv2.remap(img, np.float32(x + dx), np.float32(y + dy),
                         interpolation, borderMode=cv2.BORDER_REFLECT_101)

    def _randaffine(self, img, mask):
        A = self.A
        affine = A.Affine(
            translate_percent=dict(x=(-0.03, 0.03), y=(-0.015, 0.015)),
            scale=(0.95, 1 / 0.95), fit_output=False, p=1)
        out = affine(image=img, mask=mask)
        # the official code deforms the whole image and keeps only the mask
        seed = np.random.randint(10000)
        self._elastic_albu1(out['image'], seed, cv2.INTER_LINEAR)
        mask = self._elastic_albu1(out['mask'], seed, cv2.INTER_NEAREST)
        return out['image'], mask

    @staticmethod
    def _blend_mask(mask):
        h, w = mask.shape[:2]
        size_h = np.random.randint(int(h * 0.8), int(h / 0.8))
        size_w = np.random.randint(int(w * 0.8), int(w / 0.8))
        mask = cv2.resize(mask, (size_w, size_h))
        k1 = int(np.random.choice(np.arange(5, 26, 2)))
        k2 = int(np.random.choice(np.arange(5, 26, 2)))
        mask = cv2.GaussianBlur(mask, (k1, k1), 0)
        mask = mask / mask.max()
        mask[mask < 1] = 0
        mask = cv2.GaussianBlur(mask, (k2, k2), np.random.randint(5, 46))
        mask = mask / mask.max()
        return cv2.resize(mask, (w, h)).reshape(h, w, 1)

    def _geometry(self, img, mask, img_f=None, mask_f=None):
        A = self.A
        h, w = img.shape[:2]
        u, v = np.random.randint(15, size=2) / 100

        class Erase(A.DualTransform):
            """Official-style erasing on a fixed 257-px canvas."""

            def get_params_dependent_on_data(self, params, data):
                area = np.random.uniform(0.02, 1 / 3) * 257 * 257
                aspect = np.exp(np.random.uniform(np.log(0.3), np.log(3.33)))
                bh = int(round(np.sqrt(area * aspect)))
                bw = int(round(np.sqrt(area / aspect)))
                y0 = np.random.randint(0, max(1, 257 - bh))
                x0 = np.random.randint(0, max(1, 257 - bw))
                return dict(box=(y0, x0, bh, bw))

            def apply(self, img, box=None, **kwargs):
                y0, x0, bh, bw = box
                img = img.copy()
                img[y0:y0 + bh, x0:x0 + bw] = 0
                return img

            def apply_to_mask(self, mask, box=None, **kwargs):
                return self.apply(mask, box=box)

        compose = A.Compose([
            A.HorizontalFlip(p=0.5),
            A.OneOf([
                A.RandomCrop(int(h * (1 - u)), int(w * (1 - v)), p=0.5),
                A.RandomScale(scale_limit=0.15, p=0.5),
                Erase(p=0.5),
            ], p=0.5)
        ], additional_targets=dict(image_f='image', mask_f='mask'))
        if img_f is None:  # one image (BI)
            out = compose(image=img, mask=mask)
            return out['image'], out['mask']
        out = compose(image=img, mask=mask, image_f=img_f, mask_f=mask_f)
        return out['image'], out['mask'], out['image_f'], out['mask_f']

    @staticmethod
    def _encode(target):
        t = target[..., 0]
        h, w = t.shape
        heatmap = np.zeros((1, h, w), np.float32)
        cst = np.zeros((1, h, w), np.float32)
        for y0, x0 in ((0, 0), (h // 2, 0), (0, w // 2), (h // 2, w // 2)):
            q = t[y0:y0 + h // 2, x0:x0 + w // 2]
            peak = q.max() or 1
            ys, xs = np.where(q == peak)
            for y, x in zip(ys + y0, xs + x0):
                ww = hh = 0
                yy = y
                while 0 <= yy < h and t[yy, x] > 128:
                    ww, yy = ww + 1, yy - 1
                yy = y
                while 0 <= yy < h and t[yy, x] > 128:
                    ww, yy = ww + 1, yy + 1
                xx = x
                while 0 <= xx < w and t[y, xx] > 128:
                    hh, xx = hh + 1, xx - 1
                xx = x
                while 0 <= xx < w and t[y, xx] > 128:
                    hh, xx = hh + 1, xx + 1
                sigma = blend_targets.gaussian_radius((hh, ww), 0.7) / 3 + 1e-4
                rad = int(sigma * 3)
                grid = np.arange(-rad, rad + 1, dtype=np.float32)
                g = np.exp(-(grid[None]**2 + grid[:, None]**2) /
                           (2 * sigma**2))
                ya, yb = max(0, y - rad), min(h, y + rad + 1)
                xa, xb = max(0, x - rad), min(w, x + rad + 1)
                heatmap[0, ya:yb, xa:xb] = np.maximum(
                    heatmap[0, ya:yb, xa:xb],
                    g[ya - y + rad:yb - y + rad, xa - x + rad:xb - x + rad])
            if len(ys):
                cst[0, y0:y0 + h // 2, x0:x0 + w // 2] = 255 - np.abs(
                    int(t.max()) - q.astype(np.int64))
        return heatmap, cst

    def __call__(self, img_rgb, lms):
        """One official training pair from an RGB crop and its landmarks."""
        img = img_rgb
        h, w = img.shape[:2]
        lms = landmark_utils.reorder_landmarks(lms)
        if np.random.rand() < 0.5:
            img = img[:, ::-1].copy()
            lms = landmark_utils.hflip_landmarks(lms, w)
        margin = np.random.randint(5, 25)
        if np.random.rand() < 0.25:
            lms = lms[:68]
        hull_type = blend_utils.HULL_TYPES[np.random.randint(4)]
        mask = np.repeat(
            blend_utils.hull_mask(lms, (h, w), hull_type)[..., None], 3,
            axis=2).astype(np.float64)[:, :, 0]
        source = img.copy()
        self.source_aug.set_random_seed(np.random.randint(2**31))
        if np.random.rand() < 0.5:
            source = self.source_aug(image=source)['image']
        else:
            img = self.source_aug(image=img)['image']
        source, mask = self._randaffine(source, mask)
        mask = self._blend_mask(mask)
        ratio = [0.25, 0.5, 0.75, 1, 1, 1][np.random.randint(6)]
        mask_blured = mask * ratio
        fake = (mask_blured * source + (1 - mask_blured) * img)
        fake = fake.astype(np.uint8)
        mask_f = 4 * mask * (1 - mask)
        crop = (slice(margin, h - margin), slice(margin, w - margin))
        fake, real = fake[crop], img[crop]
        mask_f = np.repeat((mask_f[crop] * 255).astype(np.uint8), 3, 2)
        mask_r = np.zeros_like(mask_f)
        # centre/scale from the size *before* the geometric augmentation
        pre_shape = real.shape[:2]
        real, mask_r, fake, mask_f = self._geometry(real, mask_r, fake,
                                                    mask_f)
        out = []
        trans = warp_utils.letterbox_matrix(pre_shape, (384, 384))
        trans_hm = warp_utils.letterbox_matrix(pre_shape, (96, 96))
        for im, m in ((fake, mask_f), (real, mask_r)):
            im = cv2.warpAffine(im, trans, (384, 384), flags=cv2.INTER_LINEAR)
            m = cv2.warpAffine(m, trans_hm, (96, 96), flags=cv2.INTER_LINEAR)
            hm, cst = self._encode(m)
            out.append([im, hm, m, cst])
        self.color_aug.set_random_seed(np.random.randint(2**31))
        aug = self.color_aug(image=out[0][0], image1=out[1][0])
        out[0][0], out[1][0] = aug['image'], aug['image1']
        for item in out:
            img64 = item[0].astype(np.float64) / 255.
            img64 = (img64 - 0.5) / 0.5
            item[0] = torch.from_numpy(img64.transpose(2, 0, 1).copy())
            item[2] = item[2] / 255.
            item[3] = torch.from_numpy(item[3] / 255.)
            item[1] = torch.from_numpy(item[1])
        return out
