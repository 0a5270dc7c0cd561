# Copyright (c) laanet contributors. All rights reserved.
import glob
import os.path as osp
from types import SimpleNamespace

import mmcv
import pytest
import torch

from laanet.engine import DeepfakeVisualizationHook
from laanet.structures import DeepfakeDataSample
from laanet.visualization import DeepfakeVisualizer


def _batch(n=3):
    inputs = [torch.zeros(3, 64, 64, dtype=torch.uint8) for _ in range(n)]
    for x in inputs:
        x[2] = 200  # BGR: red
    samples = []
    for i in range(n):
        s = DeepfakeDataSample().set_gt_label(i % 2).set_pred_score(0.3)
        s.set_metainfo(dict(img_path=f'x/{i}.png', video_id=f'v/{i}'))
        s.set_pred_heatmap(torch.zeros(1, 4, 4))
        samples.append(s)
    return dict(inputs=inputs, data_samples=samples), samples


@pytest.fixture
def visualizer(tmp_path):
    return DeepfakeVisualizer.get_instance(
        f'vis_hook_{tmp_path}',
        vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path / 'backend'))


def test_test_iter_writes_every_interval(tmp_path, visualizer):
    hook = DeepfakeVisualizationHook(enable=True, interval=2, out_dir='vis')
    runner = SimpleNamespace(work_dir=str(tmp_path), timestamp='ts', iter=0)
    data, samples = _batch(3)
    hook.after_test_iter(runner, 0, data, samples)
    hook.after_test_iter(runner, 1, data, samples)
    files = sorted(glob.glob(osp.join(tmp_path, 'ts', 'vis', '*.png')))
    # Samples 0..5, every second one.
    assert [osp.basename(f)[:6]
            for f in files] == ['000000', '000002', '000004']

    img = mmcv.imread(files[0], channel_order='rgb')
    # The input was BGR with the red channel set: drawn red in RGB.
    assert img[32, 48, 0] > 150 and img[32, 48, 2] < 50


def test_disabled_and_val(tmp_path, visualizer):
    runner = SimpleNamespace(work_dir=str(tmp_path), timestamp='ts', iter=5)
    data, samples = _batch(2)
    DeepfakeVisualizationHook(
        enable=False, out_dir='vis').after_test_iter(runner, 0, data, samples)
    assert not glob.glob(
        osp.join(tmp_path, 'ts', '**', '*.png'), recursive=True)
    hook = DeepfakeVisualizationHook(enable=True, interval=1)
    hook.after_val_iter(runner, 0, data, samples)
    assert glob.glob(
        osp.join(tmp_path, 'backend', '**', 'val_*_5.png'), recursive=True)
    with pytest.raises(ValueError, match='interval'):
        DeepfakeVisualizationHook(interval=0)
