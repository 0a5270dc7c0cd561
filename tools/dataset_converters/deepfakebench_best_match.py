# Copyright (c) laanet contributors. All rights reserved.
"""BI partners (``best_match``) for DeepfakeBench's FaceForensics++.

LAA-Net's BI recipe blends a partner face of another video chosen by
landmark similarity. This writes, per split, the partner lists of the
originals (label key ``FF-real``) of a DeepfakeBench JSON, from its
``landmarks/`` files (or LMDB), with the same search as
``search_similar_landmarks.py`` on dlib's 68 points (the 13 forehead
points of DeepfakeBench's 81 are left out, as LAA-Net's BI uses 68):

    <json dir>/<Dataset>_<compression>_<split>_best_match.json
    {"<frame path as in the JSON>": ["<partner frame path>", ...], ...}

which ``DeepfakeBenchDataset(best_match_file=...)`` reads (the configs
``configs/_base_/datasets/dfb-ffpp-*_bi_384px.py`` name these files).

Example::

    python tools/dataset_converters/deepfakebench_best_match.py \\
        data/deepfakebench/dataset_json/FaceForensics++.json \\
        --data-root data/deepfakebench/rgb --compression c23
"""
import argparse
import os.path as osp

from mmengine.logging import MMLogger

from laanet.datasets import DeepfakeBenchDataset
from laanet.preprocessing import SEARCH_METHODS, add_best_match
from laanet.utils.media import atomic_dump_json


def parse_args(argv=None) -> argparse.Namespace:
    """Parse the command line."""
    p = argparse.ArgumentParser(
        description='BI partners for a DeepfakeBench JSON.')
    p.add_argument('json_file', help='DeepfakeBench data set JSON')
    p.add_argument('--data-root', required=True,
                   help="the folder of the JSON's relative paths (rgb_dir)")
    p.add_argument('--dataset-name', default='FaceForensics++')
    p.add_argument('--compression', default='c23',
                   choices=('raw', 'c23', 'c40'))
    p.add_argument('--lmdb-dir', help='read DeepfakeBench LMDB files')
    p.add_argument('--splits', nargs='+', default=['train', 'val'])
    p.add_argument('--label-keys', nargs='+', default=['FF-real'],
                   help='faces searched and matched (default: originals)')
    p.add_argument('--frames-per-video', type=int, default=32)
    p.add_argument('--k', type=int, default=30)
    p.add_argument('--method', choices=SEARCH_METHODS, default='official')
    p.add_argument('--num-candidates', type=int, default=10000)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--out-dir', help='default: the JSON\'s folder')
    return p.parse_args(argv)


def main(argv=None) -> dict:
    """Run it; returns ``{split: output path}``."""
    args = parse_args(argv)
    logger = MMLogger.get_instance('dfb_best_match', log_level='INFO')
    out_dir = args.out_dir or osp.dirname(osp.abspath(args.json_file))
    outputs = {}
    for split in args.splits:
        ds = DeepfakeBenchDataset(
            json_file=args.json_file,
            dataset_name=args.dataset_name,
            split=split,
            data_root=args.data_root,
            compression=args.compression,
            label_keys=args.label_keys,
            frames_per_video=args.frames_per_video,
            lmdb_dir=args.lmdb_dir,
            with_landmarks=True,
            landmark_points=68,
            serialize_data=False)
        entries = []
        for i in range(len(ds)):
            info = ds.get_data_info(i)
            lms = info['landmarks']
            entries.append(
                dict(
                    img_path=info['dfb_frame_path'],
                    video_id=info['video_id'],
                    label=0,
                    landmarks=None if lms is None else lms.tolist()))
        ann = dict(data_list=entries)
        counts = add_best_match(
            ann,
            k=args.k,
            labels=(0, ),
            method=args.method,
            num_candidates=args.num_candidates,
            seed=args.seed)
        table = {
            e['img_path']: e['best_match']
            for e in entries if e.get('best_match')
        }
        out = osp.join(
            out_dir, f'{args.dataset_name}_{args.compression}_{split}'
            '_best_match.json')
        atomic_dump_json(table, out)
        logger.info(f'{split}: {counts["searched"]} faces searched '
                    f'(k={args.k}, {args.method}), '
                    f'{counts["without_landmarks"]} without landmarks -> '
                    f'{out}')
        outputs[split] = out
    return outputs


if __name__ == '__main__':
    main()
