# Copyright (c) laanet contributors. All rights reserved.
import glob
import os.path as osp

import mmcv
import numpy as np
import pytest
import torch

from laanet.structures import DeepfakeDataSample
from laanet.visualization import DeepfakeVisualizer, overlay_heatmap


def _sample():
    hm = torch.zeros(1, 8, 8)
    hm[0, 2:4, 2:4] = 1.0
    sample = DeepfakeDataSample().set_gt_label(1).set_pred_score(0.9)
    sample.set_gt_heatmap(hm).set_pred_heatmap(hm.flip(-1))
    return sample


def test_overlay_heatmap_keeps_scale_and_rgb():
    image = np.full((32, 32, 3), 128, np.uint8)
    hot = overlay_heatmap(image, torch.ones(1, 8, 8), alpha=1.0)
    cold = overlay_heatmap(image, torch.zeros(8, 8), alpha=1.0)
    # JET: 1 → red, 0 → blue, in RGB order and at the image resolution.
    assert hot.shape == image.shape
    assert hot[0, 0, 0] > 100 and hot[0, 0, 2] < 50
    assert cold[0, 0, 2] > 100 and cold[0, 0, 0] < 50
    assert np.array_equal(overlay_heatmap(image, None), image)


def test_add_datasample_to_file_and_backend(tmp_path):
    visualizer = DeepfakeVisualizer(
        name='test_vis',
        vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path / 'backend'))
    image = np.full((32, 32, 3), 100, np.uint8)
    out_file = str(tmp_path / 'out.png')
    drawn = visualizer.add_datasample(
        'face', image, _sample(), out_file=out_file)
    assert drawn.shape == (32, 96, 3)  # input | GT heatmap | pred heatmap
    written = mmcv.imread(out_file, channel_order='rgb')
    assert np.array_equal(written, drawn)
    # The GT heatmap panel is hot on the left, the prediction on the right.
    gt_panel, pred_panel = drawn[:, 32:64], drawn[:, 64:]
    assert gt_panel[12, 10, 0] > pred_panel[12, 10, 0]
    assert pred_panel[12, 21, 0] > gt_panel[12, 21, 0]
    # Without GT drawing: two panels. To the backend when no out_file.
    drawn = visualizer.add_datasample(
        'face', image, _sample(), draw_gt=False, step=3)
    assert drawn.shape == (32, 64, 3)
    assert glob.glob(
        osp.join(tmp_path, 'backend', '**', 'face_3.png'), recursive=True)


def test_tensorboard_backend(tmp_path):
    pytest.importorskip('tensorboard')
    visualizer = DeepfakeVisualizer(
        name='test_vis_tb',
        vis_backends=[dict(type='TensorboardVisBackend')],
        save_dir=str(tmp_path))
    visualizer.add_datasample(
        'face', np.full((32, 32, 3), 100, np.uint8), _sample(), step=1)
    visualizer.close()
    events = glob.glob(osp.join(tmp_path, '**', 'events.out.tfevents.*'),
                       recursive=True)
    assert events and osp.getsize(events[0]) > 1000
