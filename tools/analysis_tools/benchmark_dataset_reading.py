# Copyright (c) laanet contributors. All rights reserved.
"""Frames/s read through the DataLoader: DeepfakeBench folders and LMDB
against laanet's own annotation format, on the same frames.

A toy DeepfakeBench tree is written from the demo face
(:func:`laanet.testing.make_deepfakebench_tree`, with its LMDB), unless
``--json-file`` names a real one; laanet's own format is an annotation
file (``DeepfakeDataset``) over the same PNGs with the landmarks inline.
Each timed round reads one full epoch of every reader in turn (interleaved,
the order reversed every other round), so a change in the machine's load
hits all alike; the reported number is the median over the rounds. The
files are in the page cache after the warm-up round: this measures the
readers, not the disk.

Example::

    python tools/analysis_tools/benchmark_dataset_reading.py \\
        --workers 2 --rounds 5 --out work_dirs/dataset_reading.json
"""
import argparse
import json
import os.path as osp
import statistics
import tempfile
import time

from mmengine.dataset import pseudo_collate
from torch.utils.data import DataLoader

from laanet.datasets import DeepfakeBenchDataset, DeepfakeDataset
from laanet.datasets.transforms import LoadLandmarks, PackDeepfakeInputs
from laanet.utils.benchmark import load_average, time_interleaved
from laanet.utils.media import atomic_dump_json


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(description='Benchmark dataset reading')
    p.add_argument('--json-file', help='a DeepfakeBench JSON (default: a '
                   'toy tree written to a temporary folder)')
    p.add_argument('--dataset-name', default='FaceForensics++')
    p.add_argument('--data-root', help='rgb_dir of --json-file')
    p.add_argument('--lmdb-dir', help='lmdb_dir of --json-file')
    p.add_argument('--split', default='test')
    p.add_argument('--compression', default='c23')
    p.add_argument('--num-videos', type=int, default=6,
                   help='toy tree: videos per label key')
    p.add_argument('--num-frames', type=int, default=16,
                   help='toy tree: frames per video')
    p.add_argument('--workers', type=int, default=2)
    p.add_argument('--batch-size', type=int, default=16)
    p.add_argument('--rounds', type=int, default=5)
    p.add_argument('--with-landmarks', action='store_true',
                   help='also load and check the landmarks')
    p.add_argument('--out', help='write the results as JSON')
    return p.parse_args(argv)


def _pipeline(with_landmarks: bool) -> list:
    steps = [dict(type='LoadImageFromFile')]
    if with_landmarks:
        steps.append(LoadLandmarks())
    return steps + [PackDeepfakeInputs()]


def _own_format(ds: DeepfakeBenchDataset, path: str) -> str:
    """laanet's annotation file over the same frames (landmarks inline)."""
    data_list = []
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        lms = info.get('landmarks')
        data_list.append(
            dict(
                img_path=info['img_path'],
                video_id=info['video_id'],
                frame_idx=info['frame_idx'],
                label=info['gt_label'],
                landmarks=None if lms is None else lms.tolist()))
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(dict(metainfo=dict(dataset='own'), data_list=data_list), f)
    return path


def _epoch(loader: DataLoader) -> int:
    n = 0
    for batch in loader:
        n += len(batch['inputs'])
    return n


def main(argv=None) -> dict:
    """Run the benchmark; returns (and optionally writes) the results."""
    args = parse_args(argv)
    tmp = tempfile.TemporaryDirectory()
    if args.json_file is None:
        from laanet.testing import make_deepfakebench_tree
        tree = make_deepfakebench_tree(
            tmp.name,
            splits=('test', ),
            num_videos=args.num_videos,
            num_frames=args.num_frames,
            lmdb=True)
        json_file, data_root = tree['json_file'], tree['rgb_dir']
        lmdb_dir, name, split = tree['lmdb_dir'], tree['dataset_name'], 'test'
    else:
        json_file, data_root = args.json_file, args.data_root
        lmdb_dir, name, split = args.lmdb_dir, args.dataset_name, args.split
    pipeline = _pipeline(args.with_landmarks)
    common = dict(
        json_file=json_file,
        dataset_name=name,
        split=split,
        data_root=data_root,
        compression=args.compression,
        test_mode=True,
        pipeline=pipeline)
    build = {
        'deepfakebench_folders':
        lambda: DeepfakeBenchDataset(
            with_landmarks=args.with_landmarks, **common),
    }
    if lmdb_dir:
        build['deepfakebench_lmdb'] = lambda: DeepfakeBenchDataset(
            lmdb_dir=lmdb_dir, with_landmarks=args.with_landmarks, **common)
    init_s = {}
    datasets = {}
    for key, fn in build.items():
        start = time.perf_counter()
        datasets[key] = fn()
        init_s[key] = time.perf_counter() - start
    ann = _own_format(
        DeepfakeBenchDataset(with_landmarks=True, **common),
        osp.join(tmp.name, 'own.json'))
    start = time.perf_counter()
    datasets['laanet_own'] = DeepfakeDataset(
        ann_file=ann, test_mode=True, pipeline=pipeline)
    init_s['laanet_own'] = time.perf_counter() - start
    loaders = {
        key: DataLoader(
            ds,
            batch_size=args.batch_size,
            num_workers=args.workers,
            collate_fn=pseudo_collate,
            persistent_workers=args.workers > 0)
        for key, ds in datasets.items()
    }
    frames = {key: len(ds) for key, ds in datasets.items()}
    steps = {key: (lambda lo=lo: _epoch(lo)) for key, lo in loaders.items()}
    timings = time_interleaved(
        steps, iters=args.rounds, warmup=1, alternate=True)
    result = dict(
        frames=frames,
        workers=args.workers,
        batch_size=args.batch_size,
        rounds=args.rounds,
        with_landmarks=args.with_landmarks,
        load_average=load_average(),
        init_s=init_s,
        frames_per_s={
            key: frames[key] / (statistics.median(t.wall_ms) / 1000)
            for key, t in timings.items()
        },
        epoch_ms={key: t.wall_ms for key, t in timings.items()})
    for key, fps in result['frames_per_s'].items():
        print(f'{key:24s} {frames[key]:6d} frames  {fps:8.1f} frames/s  '
              f'(init {init_s[key]:.3f} s)')
    if args.out:
        atomic_dump_json(result, args.out)
    tmp.cleanup()
    return result


if __name__ == '__main__':
    main()
