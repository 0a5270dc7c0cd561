# Copyright (c) laanet contributors. All rights reserved.
import json

import pytest

from laanet.testing import get_inference_cfg, load_tool


@pytest.mark.slow
def test_benchmark_onnx_json(tmp_path, capsys):
    """A smoke test: the tool runs and writes its JSON and summary (the
    timing itself is ``laanet.utils.benchmark``'s, tested there)."""
    cfg_file = str(tmp_path / 'cfg.py')
    get_inference_cfg(64).dump(cfg_file)
    out = str(tmp_path / 'bench.json')
    tool = load_tool('tools/analysis_tools/benchmark_onnx.py')
    assert tool.main([
        cfg_file, '--img-size', '64', '--batch-size', '2', '--threads', '1',
        '--warmup', '1', '--iters', '2', '--out', out
    ]) == 0
    with open(out) as f:
        result = json.load(f)
    printed = capsys.readouterr().out
    for side in ('pytorch', 'pytorch_channels_last', 'onnxruntime'):
        assert len(result[side]['ms_all']) == 2
        assert result[side]['ms_median'] > 0
        assert result[side]['cpu_ms_median'] >= 0
        assert f'{side}: {result[side]["ms_median"]} ms per batch' in printed
    assert (result['batch_size'], result['threads']) == (2, 1)
    assert result['load_avg_1min'] >= 0
