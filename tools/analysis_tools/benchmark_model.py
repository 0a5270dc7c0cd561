# Copyright (c) laanet contributors. All rights reserved.
"""Time a LAA-Net model's forward pass, training pass or SAM iteration.

The config's own settings are measured unless told otherwise (the
default config is ``configs/laanet/efn4_sbi.py``; its batches are
channels-last, ``--no-channels-last`` measures the contiguous layout).
``--mode train`` times one training pass: forward, the three losses on
realistic targets (``laanet.testing.get_packed_inputs``) and backward (no
optimizer step). ``--mode sam`` times a whole SAM iteration
(``model.train_step``: preprocessing, two forward/backward passes, the
two optimizer steps). ``--mode forward`` times an inference forward
(``tensor`` mode, no grad). ``--amp`` autocasts (bfloat16 where supported,
``--amp-dtype float16`` with a loss scaler), ``--compile`` compiles the
model's parts (the first iteration's time, compilation included, is
reported as ``first_iter_ms``). The median over ``--iters`` iterations after
``--warmup`` is reported with images/s and peak memory (CUDA: peak
allocated; CPU: the process's peak resident set size). The process CPU
time per iteration is reported too: on a shared, loaded machine it is a
steadier measure of the work done than the wall clock (use
``--threads 1`` so that idle worker threads do not count).

``--reference official`` also times an official-equivalent network
(``official_reference/network.py`` beside this tool: efficientnet_pytorch
B4 with ``MemoryEfficientSwish`` and the official decoder, heads and
losses) in
each of ``--reference-dtypes`` (float64 = the official recipe),
interleaved with laanet's model iteration by iteration, so that machine
load affects both sides alike; the JSON then holds the speed-ups (median
of the per-iteration ratios). Both sides get the same weights (the
reference's, loaded into laanet's model through the official-checkpoint
conversion), so only the implementations differ. This needs the B4
config and ``efficientnet_pytorch`` (a test requirement).

Clip models (a data preprocessor with ``layout='clip'``, e.g.
``configs/fakestormer/fakestormer_c23.py``) are timed on clips of the
backbone's ``num_frames`` and ``img_size`` with FakeSTormer's targets.
Their ``--reference official`` is the official FakeSTormer network itself,
built by the reference harness named by ``--reference-harness``
(``official_reference/fakestormer.py``; float32, the official precision),
with the same weights on both sides; the JSON also holds the largest
relative difference of the three outputs (``reference_max_rel_diff``).

Example::

    python tools/analysis_tools/benchmark_model.py --batch-size 4 \\
        --mode train --threads 2 --reference official \\
        --out work_dirs/bench.json
"""
import argparse
import os.path as osp
import resource
import statistics
import sys
import time
from contextlib import nullcontext

import torch
from mmengine.config import Config, DictAction
from rich.progress import track

from laanet.structures import model_layout
from laanet.utils.benchmark import (load_average, paired_ratio,
                                    time_interleaved)


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description='Benchmark a LAA-Net model')
    parser.add_argument(
        'config',
        nargs='?',
        default=DEFAULT_CONFIG,
        help=f'config file (with a `model` dict; default: {DEFAULT_CONFIG})')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument(
        '--img-size',
        type=int,
        default=None,
        help='image side (default: 384; clip models: the backbone\'s)')
    parser.add_argument(
        '--mode', choices=['forward', 'train', 'sam'], default='forward')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='autocast (bfloat16 where supported, else float16)')
    parser.add_argument(
        '--amp-dtype',
        choices=['bfloat16', 'float16'],
        default=None,
        help='the autocast dtype of --amp (float16 with a loss scaler)')
    parser.add_argument(
        '--channels-last',
        action=argparse.BooleanOptionalAction,
        default=None,
        help='channels-last batches (default: the config\'s data '
        'preprocessor setting)')
    parser.add_argument(
        '--compile',
        action='store_true',
        help='torch.compile the model\'s parts')
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--iters', type=int, default=10)
    parser.add_argument(
        '--device',
        default='cuda' if torch.cuda.is_available() else 'cpu',
        help='cpu or cuda (default: cuda when available)')
    parser.add_argument(
        '--reference',
        choices=['official'],
        default=None,
        help='also time the official-equivalent network, interleaved')
    parser.add_argument(
        '--reference-dtypes',
        nargs='+',
        choices=['float64', 'float32'],
        default=['float64', 'float32'])
    parser.add_argument(
        '--reference-harness',
        help='clip models: the FakeSTormer reference harness module '
        '(official_fst.py) that builds the official network')
    parser.add_argument(
        '--threads',
        type=int,
        default=None,
        help='torch CPU threads (default: torch\'s choice)')
    parser.add_argument('--out', help='write the results to this JSON file')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, e.g. model.backbone.arch=b0')
    return parser.parse_args(argv)


DEFAULT_CONFIG = 'configs/laanet/efn4_sbi.py'


def build_model(cfg: Config, device: str, channels_last=None):
    """Build the model without pretrained weights.

    Args:
        cfg (Config): The config.
        device (str): The device.
        channels_last (bool, optional): Override the data preprocessor's
            ``channels_last``; None keeps the config's.
    """
    from laanet.registry import MODELS
    from laanet.utils import register_all_modules
    register_all_modules()
    model_cfg = cfg.model
    if 'backbone' in model_cfg:
        model_cfg.backbone.init_cfg = None
    model = MODELS.build(model_cfg).to(device)
    if channels_last is not None:
        model.data_preprocessor.channels_last = channels_last
    return model


def raw_batch(batch_size: int, img_size: int, num_frames: int = 0) -> dict:
    """A dataloader-like batch (uint8 images, or clips of ``num_frames``)
    with realistic targets."""
    if num_frames:
        from laanet.testing.clip_inputs import get_packed_clips
        return get_packed_clips(batch_size, img_size, num_frames)
    from laanet.testing import get_packed_inputs
    return get_packed_inputs(
        batch_size=batch_size,
        img_size=img_size,
        heatmap_size=img_size // 4,
        with_targets=True)


def make_batch(model,
               batch_size: int,
               img_size: int,
               device: str,
               num_frames: int = 0):
    """A batch through the model's data preprocessor."""
    data = model.data_preprocessor(
        raw_batch(batch_size, img_size, num_frames), True)
    return data['inputs'].to(device), data['data_samples']


def _sync(device: str) -> None:
    """Wait for the device."""
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def laanet_step(model, inputs, samples, mode: str, amp_ctx, scaler=None):
    """Return a closure running one laanet forward or training pass."""

    def step():
        if mode == 'forward':
            with torch.no_grad(), amp_ctx():
                model(inputs, mode='tensor')
        else:
            model.zero_grad(set_to_none=True)
            with amp_ctx():
                losses = model(inputs, samples, mode='loss')
            loss, _ = model.parse_losses(losses)
            (scaler.scale(loss) if scaler is not None else loss).backward()

    return step


def sam_step(model, data: dict, amp_dtype):
    """Return a closure running one whole SAM iteration
    (``model.train_step``), the optimizer of the SAM schedule."""
    import copy

    from mmengine.optim import OptimWrapper

    from laanet.engine import SAM, DeviceAmpOptimWrapper
    sam = SAM(model.parameters(), 'Adam', lr=1e-4, rho=0.05)
    if amp_dtype is None:
        wrapper = OptimWrapper(sam)
    else:
        wrapper = DeviceAmpOptimWrapper(optimizer=sam, dtype=amp_dtype)

    def step():
        model.train_step(copy.copy(data), wrapper)

    return step


def reference_step(dtype: torch.dtype, inputs, samples, mode: str,
                   device: str):
    """Return a closure running one official-equivalent iteration."""
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from official_reference.network import (OfficialReferenceLAANet,
                                            official_losses)
    ref = OfficialReferenceLAANet().to(device=device, dtype=dtype)
    x = inputs.to(dtype).contiguous()
    heatmap = torch.stack([s.gt_fields.heatmap for s in samples]).to(
        device=device, dtype=dtype)
    cst = torch.stack([s.gt_fields.consistency for s in samples]).to(
        device=device, dtype=dtype)
    labels = torch.cat([s.gt_label for s in samples]).to(device)
    if mode == 'forward':
        ref.eval()
    else:
        ref.train()

    def step():
        if mode == 'forward':
            with torch.no_grad():
                ref(x)
        else:
            ref.zero_grad(set_to_none=True)
            losses = official_losses(ref(x), heatmap, cst, labels)
            sum(losses.values()).backward()

    step.ref = ref
    return step


def clip_reference(args, model, inputs, samples) -> tuple:
    """The official FakeSTormer step (``--reference-harness``), laanet's
    model given its weights, and the largest relative difference of the
    two networks' eval outputs on ``inputs``."""
    if not args.reference_harness:
        raise ValueError('--reference official on a clip model needs '
                         '--reference-harness (the FakeSTormer harness '
                         'module that builds the official network)')
    sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
    from official_reference.fakestormer import reference_step
    step = reference_step(args.reference_harness, inputs, samples,
                          args.mode)
    model.load_state_dict(step.ref.state_dict(), strict=True)
    training = model.training
    step.ref.eval()
    model.eval()
    with torch.no_grad():
        theirs = step.ref(inputs)[0]
        ours = model(inputs, mode='tensor')
    step.ref.train(training)
    model.train(training)
    diff = max(((ours[a] - theirs[b]).abs().max() /
                theirs[b].abs().max()).item()
               for a, b in (('cls', 'cls'), ('temporal', 'temp_loc'),
                            ('heatmap', 'hm')))
    return {'official_float32': step}, diff


def peak_memory_mb(device: str) -> float:
    """Peak memory in MiB (CUDA allocated, or CPU process max RSS)."""
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(args: argparse.Namespace) -> dict:
    """Benchmark and return the results dict."""
    if args.batch_size < 1 or (args.img_size or 32) < 32 or args.iters < 1:
        raise ValueError('batch size >= 1, img size >= 32, iters >= 1')
    if args.reference and args.mode == 'sam':
        raise ValueError('--reference compares forward or train passes')
    if args.reference and args.mode == 'train' and args.batch_size < 2:
        print('note: batch size 1 has no (real, fake) pair', file=sys.stderr)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    device = args.device
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = build_model(cfg, device, args.channels_last)
    model.train(args.mode != 'forward')
    num_frames = 0
    if model_layout(model) == 'clip':
        num_frames = cfg.model.backbone.num_frames
        args.img_size = args.img_size or cfg.model.backbone.img_size
    args.img_size = args.img_size or 384
    inputs, samples = make_batch(model, args.batch_size, args.img_size,
                                 device, num_frames)
    device_type = device.split(':')[0]
    amp_dtype, scaler = None, None
    if args.amp:
        from laanet.engine import default_amp_dtype
        amp_dtype = getattr(torch, args.amp_dtype) if args.amp_dtype else \
            default_amp_dtype(device_type)
        if amp_dtype == torch.float16:
            scaler = torch.amp.GradScaler(device_type)

        def amp_ctx():
            return torch.autocast(device_type, dtype=amp_dtype)
    else:
        amp_ctx = nullcontext
    if args.compile:
        from laanet.engine import compile_model
        compile_model(model)

    refs, max_rel_diff = {}, None
    if args.reference == 'official' and num_frames:
        refs, max_rel_diff = clip_reference(args, model, inputs, samples)
    elif args.reference == 'official':
        for name in args.reference_dtypes:
            torch.manual_seed(0)  # the same weights in every dtype
            refs[f'official_{name}'] = reference_step(
                getattr(torch, name), inputs, samples, args.mode, device)
        # Same weights on both sides: the official-layout state dict is
        # converted on the fly by LAANet's load_state_dict pre-hook.
        ref_state = next(iter(refs.values())).ref.state_dict()
        model.load_state_dict({
            k: v.float()
            for k, v in ref_state.items()
        },
                              strict=True)
    if args.mode == 'sam':
        data = raw_batch(args.batch_size, args.img_size, num_frames)
        steps = {'laanet': sam_step(model, data, amp_dtype)}
    else:
        steps = {
            'laanet':
            laanet_step(model, inputs, samples, args.mode, amp_ctx, scaler)
        }
    steps.update(refs)

    load_start = load_average()
    start = time.perf_counter()
    steps['laanet']()  # the first iteration (compiles with --compile)
    _sync(device)
    first_iter_ms = (time.perf_counter() - start) * 1000
    timings = time_interleaved(
        steps,
        args.iters,
        warmup=args.warmup,
        sync=lambda: _sync(device),
        rounds=lambda it, what: track(it, description=what))
    times = {name: t.wall_ms for name, t in timings.items()}
    cpu_times = {name: t.cpu_ms for name, t in timings.items()}

    def summary(name):
        med = statistics.median(times[name])
        return dict(
            ms_per_iter=round(med, 2),
            images_per_s=round(args.batch_size * 1000 / med, 3),
            cpu_ms_per_iter=round(statistics.median(cpu_times[name]), 2),
            ms_all=[round(t, 2) for t in times[name]],
            cpu_ms_all=[round(t, 2) for t in cpu_times[name]])

    result = summary('laanet')
    result.update(
        peak_mem_mb=round(peak_memory_mb(device), 1),
        config=args.config,
        mode=args.mode,
        batch_size=args.batch_size,
        img_size=args.img_size,
        amp=args.amp,
        amp_dtype=str(amp_dtype).split('.')[-1] if amp_dtype else None,
        channels_last=bool(
            getattr(model.data_preprocessor, 'channels_last', False)),
        compile=args.compile,
        first_iter_ms=round(first_iter_ms, 1),
        load_avg_1min_start=load_start,
        load_avg_1min_end=load_average(),
        device=device,
        threads=torch.get_num_threads(),
        warmup=args.warmup,
        iters=args.iters,
        torch_version=torch.__version__)
    if max_rel_diff is not None:
        result['reference_max_rel_diff'] = max_rel_diff
    if args.reference:
        result['reference'] = {}
        for name in steps:
            if name == 'laanet':
                continue
            ref = summary(name)
            # per-iteration ratios, paired, then their median
            for key, series in (('speedup_of_laanet', times),
                                ('cpu_time_speedup_of_laanet', cpu_times)):
                ref[key] = round(
                    paired_ratio(series[name], series['laanet']), 3)
            result['reference'][name] = ref
    return result


def main(argv=None) -> int:
    """Run the benchmark, print and optionally save the results."""
    args = parse_args(argv)
    result = run(args)
    print(f'laanet {args.mode}: {result["ms_per_iter"]} ms/iter '
          f'({result["cpu_ms_per_iter"]} ms CPU time), '
          f'{result["images_per_s"]} images/s, peak memory '
          f'{result["peak_mem_mb"]} MiB; first iteration '
          f'{result["first_iter_ms"]} ms; load average '
          f'{result["load_avg_1min_start"]:.2f} -> '
          f'{result["load_avg_1min_end"]:.2f}')
    for name, ref in result.get('reference', {}).items():
        print(f'{name} {args.mode}: {ref["ms_per_iter"]} ms/iter '
              f'({ref["cpu_ms_per_iter"]} ms CPU time) -> laanet is '
              f'{ref["speedup_of_laanet"]}x faster (wall clock), '
              f'{ref["cpu_time_speedup_of_laanet"]}x (CPU time)')
    if args.out:
        from laanet.utils.media import atomic_dump_json
        atomic_dump_json(result, args.out, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
