# Copyright (c) laanet contributors. All rights reserved.
"""What ``demo/image_demo.py`` and ``demo/video_demo.py`` do with their
command line (:func:`laanet.utils.cli_args.demo_parser`): score the
inputs, write the files and print one line per input."""
import argparse
import os.path as osp
import sys

from laanet.evaluation.calibration import calibration_text
from laanet.utils.cli_args import inferencer_kwargs
from .deepfake_inferencer import DeepfakeInferencer
from .monitors import STAGES


def run_demo(args: argparse.Namespace) -> int:
    """Run the inferencer and print a one-line summary per input.

    Args:
        args (argparse.Namespace): See
            :func:`~laanet.utils.cli_args.demo_parser`.

    Returns:
        int: 0 when every input got a result without error (a face-less
        input is not an error), 1 for a single input that could not be
        read, 0 for a folder (its errors are in summary.csv).
    """
    if args.no_heatmaps and (args.cam or args.cam_layer):
        print('error: --cam draws overlays; drop --no-heatmaps',
              file=sys.stderr)
        return 1
    if not osp.exists(args.input):
        print(f'error: {args.input}: no such file or folder', file=sys.stderr)
        return 1
    inferencer = DeepfakeInferencer(
        args.config,
        weights=args.checkpoint,
        show_progress=not args.no_progress,
        overlap=not args.sequential,
        compile=args.compile,
        **inferencer_kwargs(args))
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
            clips = (f'{len(r["clips"])} clip(s) of {r["clip_len"]} frames, '
                     if 'clips' in r else '')
            amp = ('' if r['precision'] == 'float32' else
                   f', {r["precision"]}')
            print(f'{r["file"]}: P(fake) = {r["score"]:.4f} -> {r["label"]} '
                  f'(threshold {r["threshold"]:g}, {calibration_text(r)}'
                  f'{amp}; {r["num_frames"]} frame(s), '
                  f'{clips}{faces} face(s), {len(r["no_face_frames"])} '
                  'frame(s) without a face)')
    print(f'results written to {args.out_dir}' +
          (f' (summary: {out["summary_csv"]})' if out['summary_csv'] else ''))
    if errors and len(out['predictions']) > 1:
        print(f'{errors} of {len(out["predictions"])} inputs could not be '
              'read (see the error column of the summary)')
    if args.profile:
        prof = out['profile']
        print('profile (s): ' + ', '.join(f'{stage} {prof[f"{stage}_s"]:.3f}'
                                          for stage in STAGES) +
              f'; wall clock {prof["wall_s"]:.3f}')
    if not args.checkpoint:
        print('note: no --checkpoint given, the scores come from a randomly '
              'initialised model')
    if len(out['predictions']) == 1 and errors:
        return 1
    return 0
