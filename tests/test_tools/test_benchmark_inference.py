# Copyright (c) laanet contributors. All rights reserved.
import json
import os.path as osp

import pytest

from laanet.testing import load_tool
from laanet.utils.demo_media import carphone_video

# slow: dlib detection and B0 forwards on a video, three ways
pytestmark = pytest.mark.slow

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py')


def test_overlapped_sequential_and_forward_json(tmp_path):
    if carphone_video() is None:
        pytest.skip('carphone clip not available')
    tool = load_tool('tools/analysis_tools/benchmark_inference.py')
    out = tmp_path / 'bench.json'
    assert tool.main([
        CONFIG, '--num-frames', '3', '--repeats', '1', '--warmup', '0',
        '--upscale', '288', '--out',
        str(out)
    ]) == 0
    res = json.loads(out.read_text())
    assert res['channels_last'] is True
    assert [v['video'] for v in res['videos']
            ] == ['carphone_pristine.mp4', 'carphone_pristine_288p.mp4']
    for v in res['videos']:
        assert v['identical_results'] is True
        assert v['num_frames'] == 3 and v['num_faces'] >= 1
        assert v['forward_s'] > 0 and v['overlapped_s'] > 0
        assert v['overlapped_over_forward'] == pytest.approx(
            v['overlapped_s'] / v['forward_s'], rel=1e-2)
        assert set(v['stage_seconds_last_overlapped']) == {
            'decode_s', 'detect_s', 'crop_s', 'forward_s', 'wall_s'}
