# Copyright (c) laanet contributors. All rights reserved.
"""Measure the training data pipeline: ms per pair and pairs/s.

Examples:
    # no dataset needed: the astronaut face with dlib landmarks
    python tools/analysis_tools/benchmark_pipeline.py \\
        configs/_base_/datasets/ffpp-raw_sbi_384px.py --demo-face \\
        --num-samples 200 --workers 4 --out work_dirs/pipeline.json
    # side by side with a re-implementation of the official steps
    python tools/analysis_tools/benchmark_pipeline.py \\
        configs/_base_/datasets/ffpp-raw_sbi_384px.py --demo-face \\
        --reference official
"""
import argparse
import json
import os
import os.path as osp
import tempfile
import time

import cv2
import numpy as np
import torch
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from rich.progress import track

from laanet.datasets import pair_collate
from laanet.datasets.transforms import (blend_utils, landmark_utils,
                                        target_codec, warp_utils)
from laanet.testing.demo_face import (demo_face_results, strip_loading,
                                      write_demo_partner)


def parse_args():
    parser = argparse.ArgumentParser(
        description='Benchmark the training data pipeline of a config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--num-samples', type=int, default=100,
        help='items to time (after 5 warm-up items)')
    parser.add_argument(
        '--workers', type=int, default=2,
        help='DataLoader workers for the pairs/s measurement (0: skip it)')
    parser.add_argument(
        '--batch-size', type=int, default=None,
        help='DataLoader batch size (default: the config\'s)')
    parser.add_argument(
        '--demo-face', action='store_true',
        help='run the train pipeline (minus loading) on the astronaut face '
        'with dlib landmarks instead of the config\'s dataset')
    parser.add_argument(
        '--reference', choices=['official'], default=None,
        help='also time a re-implementation of the official SBI steps, '
        'interleaved with ours (needs --demo-face)')
    parser.add_argument(
        '--threads', type=int, default=1,
        help='OpenCV and torch threads in this process (1, as in the '
        'DataLoader workers, where MMEngine turns OpenCV threading off)')
    parser.add_argument('--seed', type=int, default=0, help='numpy seed')
    parser.add_argument('--out', help='write the results to this JSON file')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value')
    return parser.parse_args()


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
        from laanet.datasets.transforms.albu_utils import build_albu_compose
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

    def _geometry(self, img, mask, img_f, mask_f):
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
                sigma = target_codec.gaussian_radius((hh, ww), 0.7) / 3 + 1e-4
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


class _DemoDataset(torch.utils.data.Dataset):
    """``num`` items of the pipeline run on the demo face."""

    def __init__(self, pipeline, num, partner):
        self.pipeline = pipeline
        self.num = num
        self.partner = partner

    def __len__(self):
        return self.num

    def __getitem__(self, idx):
        return self.pipeline(demo_face_results(self.partner))


def _worker_init(worker_id):
    np.random.seed((torch.initial_seed() + worker_id) % 2**32)
    cv2.setNumThreads(0)
    torch.set_num_threads(1)


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'laanet'))
    cv2.setNumThreads(args.threads)
    torch.set_num_threads(args.threads)
    loader_cfg = cfg.train_dataloader
    batch_size = args.batch_size or loader_cfg.get('batch_size', 8)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.reference and not args.demo_face:
        raise SystemExit('--reference needs --demo-face')

    with tempfile.TemporaryDirectory() as tmp:
        if args.demo_face:
            partner = write_demo_partner(tmp)
            pipeline = Compose(strip_loading(loader_cfg.dataset.pipeline))

            def make():
                return demo_face_results(partner)

            def run_ours():
                return pipeline(make())

            dataset = _DemoDataset(pipeline, args.num_samples, partner)
        else:
            from laanet.registry import DATASETS
            dataset = DATASETS.build(loader_cfg.dataset)
            order = np.random.permutation(len(dataset))

            def run_ours(_it=iter(np.resize(order, 10**7))):
                return dataset[int(next(_it))]

        reference = OfficialReference() if args.reference else None
        if reference is not None:
            bgr, lms = make()['img'], make()['landmarks']
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        for _ in range(5):  # warm-up
            run_ours()
            if reference is not None:
                reference(rgb, lms)
        ours, ref = [], []
        for i in track(range(args.num_samples), description='timing'):
            order = (0, 1) if i % 2 == 0 else (1, 0)
            for which in order:
                if which == 0:
                    start = time.perf_counter()
                    run_ours()
                    ours.append(time.perf_counter() - start)
                elif reference is not None:
                    start = time.perf_counter()
                    reference(rgb, lms)
                    ref.append(time.perf_counter() - start)
        result = dict(
            config=args.config,
            demo_face=args.demo_face,
            num_samples=args.num_samples,
            ms_per_pair=float(np.median(ours) * 1e3),
            threads=args.threads)
        if ref:
            result['official_ms_per_pair'] = float(np.median(ref) * 1e3)
            result['speedup_vs_official'] = float(
                np.median(ref) / np.median(ours))
        if args.workers > 0:
            loader = torch.utils.data.DataLoader(
                dataset, batch_size=batch_size, num_workers=args.workers,
                collate_fn=pair_collate, worker_init_fn=_worker_init,
                persistent_workers=False)
            it = iter(loader)
            next(it)  # start-up and first batch are not counted
            start = time.perf_counter()
            items = 0
            for batch in track(it, description='DataLoader',
                               total=len(loader) - 1):
                items += len(batch['data_samples'])
            elapsed = time.perf_counter() - start
            per_item = 2 if loader_cfg.dataset.pipeline[-1].get('pair') \
                else 1
            result.update(
                workers=args.workers,
                batch_size=batch_size,
                pairs_per_s=float(items / per_item / elapsed),
                images_per_s=float(items / elapsed))
    print(json.dumps(result, indent=2))
    if args.out:
        os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
        tmp_out = args.out + '.tmp'
        with open(tmp_out, 'w') as f:
            json.dump(result, f, indent=2)
        os.replace(tmp_out, args.out)


if __name__ == '__main__':
    main()
