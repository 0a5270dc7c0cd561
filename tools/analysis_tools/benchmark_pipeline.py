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
    # BI: the official code expects 317-px faces
    python tools/analysis_tools/benchmark_pipeline.py \\
        configs/_base_/datasets/ffpp-raw_bi_384px.py --demo-face \\
        --demo-size 317 --reference official
"""
import argparse
import functools
import json
import os.path as osp
import sys
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
from laanet.datasets.transforms.functional.pipeline_utils import strip_loading
from laanet.utils.benchmark import time_interleaved
from laanet.utils.demo_media import demo_face_results, write_demo_partner
from laanet.utils.media import atomic_dump_json

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from official_reference.bi_pipeline import OfficialBIReference  # noqa: E402
from official_reference.pipeline import OfficialReference  # noqa: E402


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
        '--demo-size', type=int, default=256,
        help='side of the demo face (the official BI code expects 317)')
    parser.add_argument(
        '--reference', choices=['official'], default=None,
        help='also time a re-implementation of the official SBI (or, for a '
        'config with BlendImages, BI) steps, interleaved with ours (needs '
        '--demo-face)')
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


class _DemoDataset(torch.utils.data.Dataset):
    """``num`` items of the pipeline run on the demo face."""

    def __init__(self, pipeline, num, partner, size):
        self.pipeline = pipeline
        self.num = num
        self.partner = partner
        self.size = size

    def __len__(self):
        return self.num

    def __getitem__(self, idx):
        return self.pipeline(_demo_results(self.partner, self.size))


def _demo_results(partner, size):
    """The demo face at ``size`` px (landmarks scaled alike)."""
    results = demo_face_results(partner)
    h, w = results['img'].shape[:2]
    if (h, w) != (size, size):
        results['img'] = cv2.resize(results['img'], (size, size))
        results['landmarks'] = results['landmarks'] * [size / w, size / h]
        results['img_shape'] = results['ori_shape'] = (size, size)
    return results


def _label(packed):
    """The label of a packed single-image item, None for pairs."""
    sample = packed.get('data_samples') if isinstance(packed, dict) else None
    if sample is None or isinstance(sample, list):
        return None
    return int(sample.gt_label)


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
                return _demo_results(partner, args.demo_size)

            def run_ours():
                return pipeline(make())

            dataset = _DemoDataset(pipeline, args.num_samples, partner,
                                   args.demo_size)
        else:
            from laanet.registry import DATASETS
            dataset = DATASETS.build(loader_cfg.dataset)
            order = np.random.permutation(len(dataset))

            def run_ours(_it=iter(np.resize(order, 10**7))):
                return dataset[int(next(_it))]

        reference = None
        if args.reference:
            bgr, lms = make()['img'], make()['landmarks']
            ref_args = (cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), lms)
            steps = {t['type']: t for t in loader_cfg.dataset.pipeline}
            if 'BlendImages' in steps:
                reference = OfficialBIReference(
                    steps['JointColorAug']['transforms'])
                ref_args += (partner, )
            else:
                reference = OfficialReference()
        steps = dict(ours=run_ours)
        if reference is not None:
            steps['official'] = functools.partial(reference, *ref_args)
        # single-image items (BI): the label of each, to time reals and
        # fakes apart (a fake costs several times a real)
        labels = dict(ours=[], official=[])

        def keep_label(name, out):
            if name == 'ours':
                labels[name].append(_label(out))
            else:
                labels[name].append(out[3] if isinstance(
                    reference, OfficialBIReference) else None)

        timings = time_interleaved(
            steps,
            args.num_samples,
            warmup=5,
            alternate=True,
            on_result=keep_label,
            rounds=lambda it, what: track(it, description=what))
        ours = [t / 1e3 for t in timings['ours'].wall_ms]
        ref = [t / 1e3 for t in timings['official'].wall_ms
               ] if reference is not None else []
        ours_label, ref_label = labels['ours'], labels['official']
        result = dict(
            config=args.config,
            demo_face=args.demo_face,
            num_samples=args.num_samples,
            ms_per_pair=float(np.median(ours) * 1e3),
            # BI items are real or fake (p 0.5): a two-peaked time, where
            # the mean (the throughput) says more than the median
            ms_per_pair_mean=float(np.mean(ours) * 1e3),
            threads=args.threads)
        if ref:
            result['official_ms_per_pair'] = float(np.median(ref) * 1e3)
            result['official_ms_per_pair_mean'] = float(np.mean(ref) * 1e3)
            result['speedup_vs_official'] = float(
                np.median(ref) / np.median(ours))
            result['speedup_vs_official_mean'] = float(
                np.mean(ref) / np.mean(ours))
        for name, times, labels in (('', ours, ours_label),
                                    ('official_', ref, ref_label)):
            for label, kind in ((0, 'real'), (1, 'fake')):
                sel = [t for t, lab in zip(times, labels) if lab == label]
                if sel:
                    result[f'{name}ms_per_{kind}'] = float(
                        np.median(sel) * 1e3)
        for kind in ('real', 'fake'):
            if f'official_ms_per_{kind}' in result and \
                    f'ms_per_{kind}' in result:
                result[f'speedup_vs_official_{kind}'] = (
                    result[f'official_ms_per_{kind}'] /
                    result[f'ms_per_{kind}'])
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
        atomic_dump_json(result, args.out, indent=2)


if __name__ == '__main__':
    main()
