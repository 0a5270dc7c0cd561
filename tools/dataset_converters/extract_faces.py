# Copyright (c) laanet contributors. All rights reserved.
"""Extract face crops from the videos of a deepfake dataset.

Examples::

    # any folder of videos sharing one label
    python tools/dataset_converters/extract_faces.py --dataset generic \\
        --video-dir my_videos --label fake --out-dir data/mine/frames
    # FaceForensics++ raw (c0) training split, with blend masks
    python tools/dataset_converters/extract_faces.py --dataset ffpp \\
        --root data/FaceForensics++ --split train --compression raw \\
        --out-dir data/FaceForensics++/c0/train/frames --num-frames 128 \\
        --with-masks --workers 8
    # DF1 frame protocol: perturbed copies <out-dir>_GB3, <out-dir>_VC1, ...
    python tools/dataset_converters/extract_faces.py --dataset celebdf-v2 \\
        --root data/Celeb-DF-v2 --out-dir data/celebdf-v2/frames \\
        --perturb GB:3 VC:1    # or: --perturb all

See docs/en/user_guides/prepare_data.md.
"""
import argparse
import sys

from mmengine.logging import MMLogger

from laanet.datasets.perturbations import parse_perturb_specs
from laanet.preprocessing import (DETECTORS, FFPP_MANIPULATIONS,
                                  SplitFileError, celebdf_videos, dfd_videos,
                                  dfdc_videos, dfdcp_videos, dfw_videos,
                                  ffpp_videos, generic_videos, run_extraction,
                                  run_perturbed_extractions)
from laanet.preprocessing.face_detectors import FACE_PREP_CFG

DATASET_NAMES = dict(
    generic='generic', ffpp='FF++', dfd='DFD', dfdc='DFDC', dfdcp='DFDCP',
    dfw='DFW')
DATASET_NAMES['celebdf-v1'] = 'Celeb-DFv1'
DATASET_NAMES['celebdf-v2'] = 'Celeb-DFv2'


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Sample frames, detect the face, write face crops.')
    p.add_argument('--dataset', required=True, choices=sorted(DATASET_NAMES))
    p.add_argument('--out-dir', required=True, help='output folder')
    p.add_argument('--video-dir', help='generic: folder of videos')
    p.add_argument('--label', choices=['real', 'fake'],
                   help='generic: label of every video')
    p.add_argument('--manipulation', help='generic: manipulation name')
    p.add_argument('--root', help='dataset root (all but generic)')
    p.add_argument('--split', default='test',
                   help='train/val/test (FF++, Celeb-DF, DFDCP, DFW)')
    p.add_argument('--split-file',
                   help='FF++ split JSON (default ROOT/<split>.json), '
                   'Celeb-DF List_of_testing_videos.txt, DFDC labels.csv '
                   'or DFDCP dataset.json')
    p.add_argument('--compression', default='raw',
                   choices=['raw', 'c23', 'c40'], help='FF++ / DFD')
    p.add_argument('--manipulations', nargs='*',
                   default=list(FFPP_MANIPULATIONS),
                   help='FF++ fake sets; give the flag alone for originals '
                   'only')
    p.add_argument('--no-original', action='store_true',
                   help='FF++: skip the original videos')
    p.add_argument('--with-masks', action='store_true',
                   help='FF++ / DFD: also crop the mask videos')
    p.add_argument('--num-frames', type=int, default=32,
                   help='evenly spaced frames per video (official: 32 '
                   'for test, 128 suggested for train); with --consecutive '
                   'the first N frames, 0 for every frame')
    p.add_argument('--consecutive', action='store_true',
                   help='clip methods (FakeSTormer): the first --num-frames '
                   'frames in order instead of evenly spaced ones, so that '
                   'the test can cut non-overlapping clips')
    p.add_argument('--workers', type=int, default=1)
    # defaults: laanet.preprocessing.face_detectors.FACE_PREP_CFG, which
    # inference uses too
    p.add_argument('--margin', type=float, default=FACE_PREP_CFG['margin'],
                   help='crop side / face box side (1.25 SBI, 1.5 official)')
    p.add_argument('--size', type=int, default=FACE_PREP_CFG['size'],
                   help='crop side (px)')
    p.add_argument('--detector', default='hog', choices=sorted(DETECTORS))
    p.add_argument('--detector-weights',
                   help='retinaface: local ResNet-50 weight file')
    p.add_argument('--det-min-side', type=int,
                   default=FACE_PREP_CFG['detector']['min_side'],
                   help='upscale frames smaller than this for detection')
    p.add_argument('--det-max-side', type=int,
                   default=FACE_PREP_CFG['detector']['max_side'],
                   help='downscale frames larger than this for detection')
    p.add_argument('--perturb', nargs='+', metavar='TYPE:LEVEL',
                   help='DF1 frame protocol: also write perturbed copies '
                   '(<out-dir>_<TYPE><LEVEL>) with the frames degraded '
                   'before detection, e.g. GB:3 CS (all levels) or all; '
                   'see docs/en/user_guides/robustness.md')
    p.add_argument('--perturb-seed', type=int, default=None,
                   help='mixed into the per-frame seeds of BW and GNC')
    p.add_argument('--no-progress', action='store_true')
    return p.parse_args(argv)


def list_items(args: argparse.Namespace) -> list:
    """The videos of the chosen dataset."""
    d = args.dataset
    if d == 'generic':
        if not args.video_dir or not args.label:
            raise SplitFileError('--dataset generic needs --video-dir and '
                                 '--label')
        return generic_videos(args.video_dir, args.label, args.manipulation)
    if not args.root:
        raise SplitFileError(f'--dataset {d} needs --root')
    if d == 'ffpp':
        return ffpp_videos(args.root, args.split, args.compression,
                           args.manipulations, args.split_file,
                           args.with_masks, not args.no_original)
    if d == 'dfd':
        return dfd_videos(args.root, args.compression, args.with_masks)
    if d in ('celebdf-v1', 'celebdf-v2'):
        return celebdf_videos(args.root, args.split, args.split_file)
    if d == 'dfdc':
        return dfdc_videos(args.root, args.split_file)
    if d == 'dfdcp':
        return dfdcp_videos(args.root, args.split, args.split_file)
    return dfw_videos(args.root, args.split)


def main(argv=None) -> dict:
    """Run the extraction; returns the report."""
    args = parse_args(argv)
    logger = MMLogger.get_instance('extract_faces', log_level='INFO')
    try:
        items = list_items(args)
    except SplitFileError as e:
        logger.error(str(e))
        sys.exit(f'error: {e}')
    if not items:
        sys.exit('error: no video found for the given options')
    det = dict(DETECTORS[args.detector], min_side=args.det_min_side,
               max_side=args.det_max_side)
    if args.detector == 'retinaface':
        det['weights'] = args.detector_weights
    meta = dict(dataset=DATASET_NAMES[args.dataset], detector=args.detector)
    if args.dataset in ('ffpp', 'dfd'):
        meta['compression'] = args.compression
    if args.dataset != 'generic':
        meta['split'] = args.split
    sampling = 'consecutive' if args.consecutive else 'even'
    if args.perturb:
        try:
            settings = parse_perturb_specs(args.perturb)
        except ValueError as e:
            sys.exit(f'error: {e}')
        return run_perturbed_extractions(
            items, args.out_dir, settings, det, seed=args.perturb_seed,
            num_frames=args.num_frames, margin=args.margin, size=args.size,
            sampling=sampling, workers=args.workers, extra_meta=meta,
            progress=not args.no_progress, logger=logger)
    logger.info(f'{len(items)} videos -> {args.out_dir}')
    return run_extraction(
        items, args.out_dir, det, num_frames=args.num_frames,
        sampling=sampling,
        margin=args.margin, size=args.size, workers=args.workers,
        extra_meta=meta, progress=not args.no_progress, logger=logger)


if __name__ == '__main__':
    main()
