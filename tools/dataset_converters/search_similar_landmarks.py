# Copyright (c) laanet contributors. All rights reserved.
"""Add ``best_match`` (k nearest faces of other videos) for BI training.

The default search is the official one: for every face, ``--num-candidates``
random faces (every face of smaller sets), ranked by the sum of the
per-point landmark distances, without alignment. ``--method aligned``
removes translation and scale and searches every face (a deviation).

Example::

    python tools/dataset_converters/search_similar_landmarks.py \\
        data/FaceForensics++/c0/annotations/train.json \\
        --out data/FaceForensics++/c0/annotations/train_bi.json --k 30
"""
import argparse
import json
import os.path as osp

from mmengine.logging import MMLogger

from laanet.preprocessing import SEARCH_METHODS, add_best_match
from laanet.utils.media import atomic_dump_json


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='Nearest faces by landmarks (BI partners).')
    p.add_argument('ann_file', help='annotation from extract_landmarks.py')
    p.add_argument('--out', help='output annotation (default: '
                   '<ann>_bi.json)')
    p.add_argument('--k', type=int, default=30)
    p.add_argument('--all-labels', action='store_true',
                   help='search fake faces too (default: real only)')
    p.add_argument('--method', choices=SEARCH_METHODS, default='official',
                   help='official: raw landmarks, a random sample per '
                   'face; aligned: translation and scale removed, every '
                   'face')
    p.add_argument('--num-candidates', type=int, default=10000,
                   help='faces sampled per query (official method)')
    p.add_argument('--seed', type=int, default=0,
                   help='seed of the sampling (official method)')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    """Run it; returns the counts."""
    args = parse_args(argv)
    logger = MMLogger.get_instance('search_similar', log_level='INFO')
    with open(args.ann_file, encoding='utf-8') as f:
        ann = json.load(f)
    if 'data_list' not in ann:
        raise ValueError(f'{args.ann_file} has no data_list')
    out = args.out or osp.splitext(args.ann_file)[0] + '_bi.json'
    counts = add_best_match(ann, k=args.k,
                            labels=None if args.all_labels else (0, ),
                            method=args.method,
                            num_candidates=args.num_candidates,
                            seed=args.seed)
    atomic_dump_json(ann, out)
    logger.info(f'{counts["searched"]} faces searched (k={args.k}, '
                f'{args.method}), '
                f'{counts["without_landmarks"]} without landmarks -> {out}')
    return dict(counts, out=out)


if __name__ == '__main__':
    main()
