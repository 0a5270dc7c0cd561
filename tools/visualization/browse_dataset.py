# Copyright (c) laanet contributors. All rights reserved.
"""See what the model is taught: real | fake | blend mask M | boundary
B = 4M(1-M) | heatmap | consistency for N training samples.

Examples:
    # no dataset needed: the astronaut face with dlib landmarks
    python tools/visualization/browse_dataset.py \\
        configs/_base_/datasets/ffpp-raw_sbi_384px.py \\
        --output-dir work_dirs/browse --num 8 --demo-face
    # the config's training set
    python tools/visualization/browse_dataset.py CONFIG --output-dir DIR
"""
import argparse
import os
import os.path as osp
import tempfile

import cv2
import numpy as np
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from rich.progress import track

from laanet.datasets.transforms.functional.pipeline_utils import strip_loading
from laanet.utils.demo_media import demo_face_results, write_demo_partner
from laanet.utils.media import atomic_write_image

COLUMNS = ('real', 'fake', 'blend mask', 'boundary', 'heatmap',
           'consistency')


def parse_args():
    parser = argparse.ArgumentParser(
        description='Write image grids of the training samples of a config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--output-dir', required=True, help='directory for the PNG grids')
    parser.add_argument(
        '--num', type=int, default=8, help='number of samples to draw')
    parser.add_argument(
        '--demo-face', action='store_true',
        help='run the train pipeline (minus loading) on the astronaut face '
        'with dlib landmarks instead of the config\'s dataset')
    parser.add_argument('--seed', type=int, default=0, help='numpy seed')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value')
    return parser.parse_args()


def _to_bgr(tensor) -> np.ndarray:
    """(3, H, W) uint8 tensor (BGR, as packed) to an HWC array."""
    return np.ascontiguousarray(tensor.permute(1, 2, 0).numpy())


def _map(sample, name: str, size) -> np.ndarray:
    """A (1, h, w) target of ``gt_fields`` as a colour-mapped tile."""
    fields = sample.get('gt_fields')
    if fields is None or name not in fields:
        values = np.zeros((8, 8), np.float32)
    else:
        values = getattr(fields, name)[0].numpy()
    tile = (np.clip(values, 0, 1) * 255).astype(np.uint8)
    tile = cv2.resize(tile, size, interpolation=cv2.INTER_NEAREST)
    return cv2.applyColorMap(tile, cv2.COLORMAP_JET)


def _label(tile: np.ndarray, text: str) -> np.ndarray:
    tile = tile.copy()
    cv2.putText(tile, text, (6, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                (255, 255, 255), 2, cv2.LINE_AA)
    return tile


def make_row(packed: dict) -> np.ndarray:
    """One grid row: real | fake | blend mask | boundary | heatmap |
    consistency.

    For pairs the maps are the fake's; for single samples (BI) the image
    goes under its label and the other image column stays black.

    Args:
        packed (dict): Output of ``PackDeepfakeInputs``.

    Returns:
        np.ndarray: BGR uint8 row.
    """
    inputs, samples = packed['inputs'], packed['data_samples']
    if inputs.ndim == 4:
        real, fake = _to_bgr(inputs[0]), _to_bgr(inputs[1])
        target = samples[1]
    else:
        img = _to_bgr(inputs)
        black = np.zeros_like(img)
        is_fake = int(samples.gt_label) == 1
        real, fake = (black, img) if is_fake else (img, black)
        target = samples
    size = (real.shape[1], real.shape[0])
    tiles = [real, fake] + [
        _map(target, name, size)
        for name in ('blend_mask', 'boundary', 'heatmap', 'consistency')
    ]
    return np.hstack([_label(t, c) for t, c in zip(tiles, COLUMNS)])


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'laanet'))
    np.random.seed(args.seed)
    os.makedirs(args.output_dir, exist_ok=True)
    dataset_cfg = cfg.train_dataloader.dataset
    # training packs neither the blend mask M nor B; the grid draws them
    for step in dataset_cfg.pipeline:
        if step['type'].split('.')[-1] == 'PackDeepfakeInputs':
            step['with_blend_mask'] = True
            step['with_boundary'] = True

    with tempfile.TemporaryDirectory() as tmp:
        if args.demo_face:
            partner = write_demo_partner(tmp)
            pipeline = Compose(strip_loading(dataset_cfg.pipeline))

            def get(_):
                return pipeline(demo_face_results(partner))
        else:
            from laanet.registry import DATASETS
            dataset = DATASETS.build(dataset_cfg)
            indices = np.random.permutation(len(dataset))

            def get(i):
                return dataset[int(indices[i % len(indices)])]

        for i in track(range(args.num), description='browsing'):
            row = make_row(get(i))
            atomic_write_image(
                osp.join(args.output_dir, f'sample_{i:04d}.png'), row)
    print(f'{args.num} grids ({" | ".join(COLUMNS)}) written to '
          f'{args.output_dir}')


if __name__ == '__main__':
    main()
