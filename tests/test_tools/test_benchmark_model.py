# Copyright (c) laanet contributors. All rights reserved.
import json
import os.path as osp

import pytest

from laanet.testing import load_tool

# slow: B0 and official-reference benchmark iterations
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', '_base_', 'models', 'laanet_efn-b4-efpn.py')


def test_train_mode_json(tmp_path):
    tool = load_tool('tools/analysis_tools/benchmark_model.py')
    out = tmp_path / 'bench.json'
    assert tool.main([
        CONFIG, '--batch-size', '2', '--img-size', '64', '--mode', 'train',
        '--warmup', '0', '--iters', '1', '--channels-last', '--out',
        str(out), '--device', 'cpu', '--cfg-options', 'model.backbone.arch=b0',
        'model.neck.in_channels=[40,112,320,1280]',
        'model.heatmap_head.in_channels=80',
        'model.consistency_head.in_channels=80',
        'model.cls_head.in_channels=80'
    ]) == 0
    result = json.loads(out.read_text())
    assert {'ms_per_iter', 'images_per_s', 'peak_mem_mb',
            'cpu_ms_per_iter'} <= set(result)
    assert result['ms_per_iter'] > 0 and result['peak_mem_mb'] > 0
    assert result['images_per_s'] == pytest.approx(
        2000 / result['ms_per_iter'], rel=1e-2)


def test_reference_mode(tmp_path):
    pytest.importorskip('efficientnet_pytorch')
    tool = load_tool('tools/analysis_tools/benchmark_model.py')
    out = tmp_path / 'ref.json'
    assert tool.main([
        CONFIG, '--batch-size', '2', '--img-size', '64', '--mode', 'forward',
        '--warmup', '0', '--iters', '1', '--reference', 'official',
        '--reference-dtypes', 'float32', '--device', 'cpu', '--out',
        str(out)
    ]) == 0
    ref = json.loads(out.read_text())['reference']['official_float32']
    assert ref['ms_per_iter'] > 0 and ref['speedup_of_laanet'] > 0
    assert ref['cpu_time_speedup_of_laanet'] > 0


TINY_CLIPS = osp.join(ROOT, 'configs', '_base_', 'models',
                      'fakestormer_vit-tiny_64px.py')


@pytest.mark.parametrize('mode', ['train', 'sam'])
def test_clip_model(tmp_path, mode):
    """A clip model is timed on clips of its own size with FakeSTormer's
    targets; --reference official needs the harness."""
    tool = load_tool('tools/analysis_tools/benchmark_model.py')
    out = tmp_path / 'clips.json'
    assert tool.main([
        TINY_CLIPS, '--batch-size', '2', '--mode', mode, '--warmup', '0',
        '--iters', '1', '--device', 'cpu', '--out',
        str(out)
    ]) == 0
    result = json.loads(out.read_text())
    assert result['img_size'] == 64 and result['ms_per_iter'] > 0
    with pytest.raises(ValueError, match='--reference-harness'):
        tool.main([
            TINY_CLIPS, '--mode', 'forward', '--iters', '1', '--device',
            'cpu', '--reference', 'official'
        ])
