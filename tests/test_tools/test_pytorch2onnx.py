# Copyright (c) laanet contributors. All rights reserved.
"""tools/deployment/pytorch2onnx.py: export, then parity on real faces."""
import contextlib
import io
import json
import os.path as osp

import pytest
from mmengine.config import Config

from laanet.apis import DeepfakeInferencer
from laanet.testing import load_tool, write_random_checkpoint
from laanet.utils.demo_media import carphone_video, t1_image

# slow: dlib face detection on the demo media, and a B4 export
pytestmark = pytest.mark.slow

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _parity(text: str) -> dict:
    return json.loads(
        [line for line in text.splitlines() if '"parity"' in line][-1])


@pytest.fixture(scope='module')
def tiny(inference_files, tmp_path_factory):
    """A B0 config file, its seeded weights, their dynamic graph and what
    the tool printed."""
    cfg_file, ckpt = inference_files
    onnx_file = str(tmp_path_factory.mktemp('tiny') / 'model.onnx')
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert tool.main(
            [cfg_file, ckpt, '--out', onnx_file, '--dynamic-batch']) == 0
    return cfg_file, ckpt, onnx_file, printed.getvalue()


def test_tool_checks_batches_1_and_7(tiny):
    cfg_file, ckpt, _, text = tiny
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    assert ('outputs score, logit, heatmap, flip_test=True, batch dynamic'
            in text)
    report = _parity(text)
    assert report['ok'] and sorted(report['parity']) == ['batch1', 'batch7']
    for diffs in report['parity'].values():
        assert set(diffs) == {'score', 'logit', 'heatmap'}
        assert max(diffs.values()) <= 1e-4
    # the 7 inputs are real faces: insightface's six and the astronaut
    inferencer = DeepfakeInferencer(cfg_file, ckpt, show_progress=False)
    assert len(tool.demo_face_inputs(inferencer, 7)) == 7
    faces = inferencer(t1_image())['predictions'][0]['frames'][0]['faces']
    assert len(faces) == 6


def test_onnxruntime_backend_gives_the_pytorch_result(tiny, tmp_path):
    """Same frames, faces, boxes and (to 1e-5) scores, on the carphone
    clip and the six faces of t1.jpg."""
    cfg_file, ckpt, onnx_file, _ = tiny
    torch_inf = DeepfakeInferencer(cfg_file, ckpt, show_progress=False,
                                   num_frames=8, batch_size=4)
    onnx_inf = DeepfakeInferencer(cfg_file, onnx_file, show_progress=False,
                                  num_frames=8, batch_size=4,
                                  backend='onnxruntime')
    for path in (carphone_video(), t1_image()):
        want = torch_inf(path, out_dir=str(tmp_path / 'pt'))['predictions']
        got = onnx_inf(path, out_dir=str(tmp_path / 'ort'))['predictions']
        (w, ), (g, ) = want, got
        assert g['score'] == pytest.approx(w['score'], abs=1e-5)
        assert g['label'] == w['label']
        assert len(g['frames']) == len(w['frames'])
        for fg, fw in zip(g['frames'], w['frames']):
            assert fg['index'] == fw['index']
            assert [f['box'] for f in fg['faces']] == [
                f['box'] for f in fw['faces']
            ]
            assert [f['score'] for f in fg['faces']] == pytest.approx(
                [f['score'] for f in fw['faces']], abs=1e-5)
            assert [f['ignored'] for f in fg['faces']] == [
                f['ignored'] for f in fw['faces']
            ]
    # heatmap overlays come from the graph's heatmaps too
    assert (tmp_path / 'ort' / 't1' / 'frame00000_face5.jpg').is_file()


@pytest.mark.parametrize('config,size', [
    ('configs/laanet/efn4_sbi.py', 384),
    ('configs/sbi/sbi_efn4.py', 380),
])
def test_full_size_config_parity(config, size, tmp_path, capsys):
    """The full models with seeded random weights: LAA-Net
    (EfficientNet-B4, 384 px, flip TTA; P(fake), logit and heatmap) and
    the SBI classifier (B4, 380 px, softmax; P(fake) and logit), within
    1e-4 of PyTorch for dynamic batches 1 and 7."""
    cfg_file = osp.join(REPO, config)
    ckpt = write_random_checkpoint(Config.fromfile(cfg_file),
                                   str(tmp_path / 'model.pth'))
    tool = load_tool('tools/deployment/pytorch2onnx.py')
    assert tool.main([
        cfg_file, ckpt, '--out',
        str(tmp_path / 'model.onnx'), '--dynamic-batch'
    ]) == 0
    text = capsys.readouterr().out
    assert f'input image (N, 3, {size}, {size})' in text
    report = _parity(text)
    assert report['ok']
    assert sorted(report['parity']) == ['batch1', 'batch7']
    keys = {'score', 'logit', 'heatmap'} if 'laanet' in config else {
        'score', 'logit'
    }
    assert set(report['parity']['batch7']) == keys
