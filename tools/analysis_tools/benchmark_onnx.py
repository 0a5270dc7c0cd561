# Copyright (c) laanet contributors. All rights reserved.
"""Time the exported graph in onnxruntime against the same forward in
PyTorch (eval mode, no grad).

Both run :class:`~laanet.deployment.DeployModel` (data preprocessor + network +
P(fake) and heatmap) on the same random batch, with the same number of CPU
threads, interleaved iteration by iteration so that the load of a shared
machine affects both sides alike; PyTorch also in channels-last memory
format (image models; a clip model, e.g. FakeSTormer, is timed on
(N, 3, T, H, W) clips of its config's length and size, without that side),
and with ``--amp`` also under bfloat16 autocast. The medians over
``--iters`` iterations after ``--warmup`` are
reported, wall clock and process CPU time (on a loaded machine the CPU
time is the steadier measure of the work), with the load average. Weights
are random (speed does not depend on them).

Example::

    python tools/analysis_tools/benchmark_onnx.py configs/laanet/efn4_sbi.py \
        --batch-size 4 --threads 2 --out work_dirs/bench_onnx.json
"""
import argparse
import os.path as osp
import statistics
import sys
import tempfile
from typing import Optional, Sequence

import numpy as np
import torch

from laanet.utils.benchmark import load_average, time_interleaved
from laanet.utils.media import atomic_dump_json


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(
        description='onnxruntime vs PyTorch eval forward of a detector.')
    parser.add_argument('config', help='model config file')
    parser.add_argument('--batch-size', type=int, default=4)
    parser.add_argument(
        '--img-size',
        type=int,
        default=None,
        help='input side (default: 384; clip models: the backbone\'s)')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='also time PyTorch under autocast (bfloat16 on a CPU)')
    parser.add_argument(
        '--flip', action='store_true', help='with flip TTA (two passes)')
    parser.add_argument(
        '--threads', type=int, default=2, help='CPU threads (default 2)')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument('--out', help='also write the numbers to this JSON')
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict:
    """Export, then time the forwards (see the module docstring).

    Returns:
        dict: Per side (``pytorch``, ``pytorch_channels_last`` for image
        models, ``pytorch_amp`` with ``--amp``, ``onnxruntime``)
        ``ms_median``, ``cpu_ms_median`` and ``ms_all``, and the settings.
    """
    import onnxruntime as ort
    from mmengine.config import Config

    from laanet.apis.clip_faces import clip_length
    from laanet.deployment import DeployModel, export_onnx
    from laanet.engine import amp_autocast
    from laanet.structures import model_layout
    from laanet.testing import build_random_detector
    torch.set_num_threads(args.threads)
    cfg = Config.fromfile(args.config)
    model = build_random_detector(cfg)
    clip_len = clip_length(cfg) if model_layout(model) == 'clip' else None
    if args.img_size is None:
        args.img_size = (cfg.model.backbone.img_size
                         if clip_len is not None else 384)
    # contiguous batches on this side, channels-last on the other
    model.data_preprocessor.channels_last = False
    size = (args.img_size, args.img_size)
    frames = () if clip_len is None else (clip_len, )
    rng = np.random.default_rng(0)
    batch = rng.integers(0, 256, (args.batch_size, 3) + frames +
                         size).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'model.onnx')
        export_onnx(model, path, size, args.batch_size, flip_test=args.flip,
                    clip_len=clip_len)
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        session = ort.InferenceSession(
            path, options, providers=['CPUExecutionProvider'])
    wrapper = DeployModel(model, flip_test=args.flip).eval()
    x = torch.from_numpy(batch)

    @torch.no_grad()
    def pytorch():
        wrapper(x)

    def onnxruntime():
        session.run(None, {'image': batch})

    steps = dict(pytorch=pytorch)
    if clip_len is None:
        model_cl = build_random_detector(cfg).to(
            memory_format=torch.channels_last)
        model_cl.data_preprocessor.channels_last = True
        wrapper_cl = DeployModel(model_cl, flip_test=args.flip).eval()
        x_cl = x.contiguous(memory_format=torch.channels_last)

        @torch.no_grad()
        def pytorch_cl():
            wrapper_cl(x_cl)

        steps['pytorch_channels_last'] = pytorch_cl
    if args.amp:

        @torch.no_grad()
        def pytorch_amp():
            with amp_autocast('cpu'):
                wrapper(x)

        steps['pytorch_amp'] = pytorch_amp
    steps['onnxruntime'] = onnxruntime
    timings = time_interleaved(steps, args.iters, warmup=args.warmup)
    result = {
        name: dict(
            ms_median=round(statistics.median(t.wall_ms), 1),
            cpu_ms_median=round(statistics.median(t.cpu_ms), 1),
            ms_all=[round(v, 1) for v in t.wall_ms])
        for name, t in timings.items()
    }
    result.update(
        config=args.config,
        batch_size=args.batch_size,
        img_size=args.img_size,
        clip_len=clip_len,
        amp=args.amp,
        flip=args.flip,
        threads=args.threads,
        iters=args.iters,
        torch_version=torch.__version__,
        onnxruntime_version=ort.__version__,
        load_avg_1min=load_average())
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    result = run(args)
    for name in ('pytorch', 'pytorch_channels_last', 'pytorch_amp',
                 'onnxruntime'):
        if name not in result:
            continue
        print(f'{name}: {result[name]["ms_median"]} ms per batch of '
              f'{args.batch_size} ({result[name]["cpu_ms_median"]} ms CPU '
              f'time; medians of {args.iters})')
    print(f'load average (1 min) {result["load_avg_1min"]:.2f}')
    if args.out:
        atomic_dump_json(result, args.out, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
