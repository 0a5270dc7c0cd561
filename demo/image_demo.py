# Copyright (c) laanet contributors. All rights reserved.
"""Score the faces of an image (or a folder of images and videos).

Example::

    python demo/image_demo.py face.jpg configs/laanet/efn4_sbi.py \
        --checkpoint laanet_efn4_sbi.pth --out-dir outputs/

Writes ``OUT_DIR/<name>.json`` (score = P(fake), label, threshold, every
face with its box and score), heatmap overlays in ``OUT_DIR/<name>/`` and,
for a folder, ``OUT_DIR/summary.csv``. Official LAA-Net checkpoints are
converted on the fly.
"""
import argparse
import sys
from typing import Optional, Sequence

from laanet.utils.cli_args import add_speed_arguments


def parse_args(argv: Optional[Sequence[str]] = None,
               video: bool = False) -> argparse.Namespace:
    """Parse the command line (shared by the image and video demos).

    Args:
        argv (Sequence[str], optional): Arguments; None reads sys.argv.
        video (bool): Add the video options. Defaults to False.

    Returns:
        argparse.Namespace: The arguments.
    """
    kind = 'video' if video else 'image'
    parser = argparse.ArgumentParser(
        description=f'Deepfake detection on a {kind} or a folder of images '
        'and videos: P(fake) per face, frame and file.')
    parser.add_argument('input', help=f'{kind} file or folder')
    parser.add_argument('config', help='model config file')
    parser.add_argument(
        '--checkpoint',
        help='checkpoint (laanet or official LAA-Net); without one the '
        'model is randomly initialised and its scores mean nothing')
    parser.add_argument(
        '--out-dir',
        default='outputs/',
        help='where to write <name>.json, overlays and summary.csv '
        '(default: outputs/)')
    parser.add_argument(
        '--device', default='cpu', help='cpu, cuda or cuda:N (default: cpu)')
    parser.add_argument(
        '--num-frames',
        type=int,
        default=32,
        help='evenly spaced frames scored per video (default: 32)')
    parser.add_argument(
        '--batch-size', type=int, default=8, help='faces per forward pass')
    parser.add_argument(
        '--no-heatmaps',
        action='store_true',
        help='do not write the heatmap overlays')
    parser.add_argument(
        '--save-video',
        action='store_true',
        help='write <name>_annotated.mp4 (sampled frames with boxes and '
        'probabilities) for videos')
    parser.add_argument(
        '--backend',
        choices=('pytorch', 'onnxruntime'),
        default='pytorch',
        help='onnxruntime runs a graph of tools/deployment/pytorch2onnx.py '
        '(--checkpoint is then the .onnx file; default: pytorch)')
    parser.add_argument(
        '--no-progress', action='store_true', help='no progress bars')
    parser.add_argument(
        '--profile',
        action='store_true',
        help='print the seconds spent decoding, detecting, cropping and '
        'in the model (the first three run ahead of the model)')
    parser.add_argument(
        '--sequential',
        action='store_true',
        help='decode, detect and score one after the other (no '
        'background decoding and detection)')
    add_speed_arguments(parser)
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> int:
    """Run the inferencer and print a one-line summary per input.

    Args:
        args (argparse.Namespace): See :func:`parse_args`.

    Returns:
        int: 0 when every input got a result without error (a face-less
        input is not an error), 1 for a single input that could not be
        read, 0 for a folder (its errors are in summary.csv).
    """
    import os.path as osp

    from laanet.apis import DeepfakeInferencer
    if not osp.exists(args.input):
        print(f'error: {args.input}: no such file or folder', file=sys.stderr)
        return 1
    inferencer = DeepfakeInferencer(
        args.config,
        weights=args.checkpoint,
        device=args.device,
        num_frames=args.num_frames,
        batch_size=args.batch_size,
        show_progress=not args.no_progress,
        overlap=not args.sequential,
        compile=args.compile,
        backend=args.backend)
    out = inferencer(
        args.input,
        out_dir=args.out_dir,
        save_heatmaps=not args.no_heatmaps,
        save_video=args.save_video)
    errors = 0
    for r in out['predictions']:
        if r['error']:
            errors += 1
            print(f'error: {r["error"]}', file=sys.stderr)
        elif r['score'] is None:
            print(f'{r["file"]}: no score ({r["reason"]})')
        else:
            faces = sum(len(f['faces']) for f in r['frames'])
            print(f'{r["file"]}: P(fake) = {r["score"]:.4f} -> {r["label"]} '
                  f'(threshold {r["threshold"]}; {r["num_frames"]} frame(s), '
                  f'{faces} face(s), {len(r["no_face_frames"])} frame(s) '
                  'without a face)')
    print(f'results written to {args.out_dir}' +
          (f' (summary: {out["summary_csv"]})' if out['summary_csv'] else ''))
    if errors and len(out['predictions']) > 1:
        print(f'{errors} of {len(out["predictions"])} inputs could not be '
              'read (see the error column of the summary)')
    if args.profile:
        prof = out['profile']
        print('profile (s): ' + ', '.join(
            f'{stage} {prof[f"{stage}_s"]:.3f}'
            for stage in ('decode', 'detect', 'crop', 'forward')) +
              f'; wall clock {prof["wall_s"]:.3f}')
    if not args.checkpoint:
        print('note: no --checkpoint given, the scores come from a randomly '
              'initialised model')
    if len(out['predictions']) == 1 and errors:
        return 1
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Entry point."""
    return run(parse_args(argv))


if __name__ == '__main__':
    sys.exit(main())
