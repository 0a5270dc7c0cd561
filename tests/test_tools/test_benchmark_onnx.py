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


@pytest.mark.slow
def test_benchmark_onnx_clip_model(tmp_path, capsys):
    """A clip model is timed on clips of its config's length and size,
    without the channels-last side; --amp adds the autocast side."""
    from mmengine.config import Config

    from laanet.testing import get_clip_inference_cfg
    tiny = Config.fromfile('configs/_base_/models/'
                           'fakestormer_vit-tiny_64px.py').model.to_dict()
    cfg_file = str(tmp_path / 'clip.py')
    get_clip_inference_cfg(input_size=64, model=tiny).dump(cfg_file)
    out = str(tmp_path / 'bench.json')
    tool = load_tool('tools/analysis_tools/benchmark_onnx.py')
    assert tool.main([
        cfg_file, '--batch-size', '1', '--threads', '1', '--warmup', '0',
        '--iters', '1', '--amp', '--out', out
    ]) == 0
    with open(out) as f:
        result = json.load(f)
    assert (result['clip_len'], result['img_size']) == (4, 64)
    assert 'pytorch_channels_last' not in result
    printed = capsys.readouterr().out
    for side in ('pytorch', 'pytorch_amp', 'onnxruntime'):
        assert result[side]['ms_median'] > 0
        assert f'{side}: {result[side]["ms_median"]} ms per batch' in printed
