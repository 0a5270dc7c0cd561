# Copyright (c) laanet contributors. All rights reserved.
"""The exported graph gives what the PyTorch predict path gives."""
import os.path as osp

import numpy as np
import onnxruntime as ort
import pytest
import torch
from mmengine.config import Config
from torch import nn

from laanet.deployment import DeployModel, OnnxBackend, export_onnx
from laanet.testing import build_random_detector, get_inference_cfg

INPUT = 64
TOL = 1e-4
REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def _model(cfg):
    return build_random_detector(cfg, output_gain=100)


def _sbi_cfg():
    """The SBI classifier of configs/sbi/ (2-logit softmax head, no
    mean/std, no flip), shrunk to a B0."""
    cfg = get_inference_cfg(INPUT)
    model = Config.fromfile(
        osp.join(REPO, 'configs', '_base_', 'models', 'sbi_efn-b4.py')).model
    model.backbone.arch = 'b0'
    model.cls_head.in_channels = 1280
    cfg.model = model
    return cfg


CONFIGS = dict(
    laanet_flip=lambda: get_inference_cfg(INPUT, flip_test=True),
    laanet_no_flip=lambda: get_inference_cfg(INPUT, flip_test=False),
    sbi=_sbi_cfg)


def _batch(n: int, seed: int = 0) -> torch.Tensor:
    rng = np.random.default_rng(seed)
    return torch.from_numpy(
        rng.integers(0, 256, (n, 3, INPUT, INPUT), dtype=np.uint8))


def _predict(model, x, flip):
    data = model.data_preprocessor(dict(inputs=list(x)), False)
    return model.predict(data['inputs'], None,
                         dict(flip_test=flip, output_heatmaps=True))


def _max_diffs(model, out, samples):
    """Graph outputs against predict's samples: score, pred_logit (the
    head's predict_by_feat of the graph's logits) and heatmaps."""
    got = model.cls_head.predict_by_feat(torch.from_numpy(out['logit']))
    pairs = dict(
        score=(torch.from_numpy(out['score']),
               torch.stack([s.pred_score.reshape(-1)[0] for s in samples])),
        logit=(torch.stack([s.pred_logit for s in got]),
               torch.stack([s.pred_logit for s in samples])))
    if 'heatmap' in out:
        maps = torch.stack([s.pred_fields.heatmap for s in samples])
        pairs['heatmap'] = (torch.from_numpy(out['heatmap']), maps)
    return {
        k: float((a.reshape(-1) - b.reshape(-1)).abs().max())
        for k, (a, b) in pairs.items()
    }


# The SBI classifier and the no-flip LAA-Net are slow (one export each).
@pytest.mark.parametrize('name', [
    'laanet_flip',
    pytest.param('laanet_no_flip', marks=pytest.mark.slow),
    pytest.param('sbi', marks=pytest.mark.slow)
])
def test_graph_matches_predict(name, tmp_path):
    """Dynamic batch sizes 1 and 7: P(fake), logits and (LAA-Net)
    heatmaps within 1e-4 of ``predict`` with the config's flip setting;
    the metadata say it."""
    cfg = CONFIGS[name]()
    model = _model(cfg)
    flip = model.test_cfg['flip_test']
    heatmap = name != 'sbi'
    names = ['score', 'logit'] + (['heatmap'] if heatmap else [])
    path = str(tmp_path / 'm.onnx')
    info = export_onnx(model, path, (INPUT, INPUT), dynamic_batch=True)
    assert info['outputs'] == names
    assert info['flip_test'] is flip
    session = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    meta = session.get_modelmeta().custom_metadata_map
    assert meta['flip_test'] == ('1' if flip else '0')
    assert meta['input_size'] == f'{INPUT},{INPUT}'
    for n in (1, 7):
        x = _batch(n, seed=n)
        out = dict(zip(names, session.run(None, {'image': x.float().numpy()})))
        assert out['score'].shape == (n, )
        if heatmap:
            assert out['heatmap'].shape[:2] == (n, 1)
        diffs = _max_diffs(model, out, _predict(model, x, flip))
        assert max(diffs.values()) <= TOL, diffs
        # the flip setting is really in the graph: the other one differs
        # by far more than the graph does from its own setting
        other = _max_diffs(model, out, _predict(model, x, not flip))
        key = 'heatmap' if heatmap else 'logit'
        assert other[key] > 1000 * diffs[key], (diffs, other)
    backend = OnnxBackend(path, cfg)
    assert backend.test_cfg == dict(flip_test=flip)
    assert (backend.heatmap_head is None) is (not heatmap)
    x = _batch(2)
    with pytest.raises(ValueError, match='re-export with that setting'):
        backend.predict(x.float(), None, dict(flip_test=not flip))


@pytest.mark.slow
def test_backend_feeds_a_fixed_batch_graph_in_padded_chunks(tmp_path):
    cfg = get_inference_cfg(INPUT)
    model = _model(cfg)
    path = str(tmp_path / 'fixed.onnx')
    export_onnx(model, path, (INPUT, INPUT), batch_size=2)
    backend = OnnxBackend(path, cfg, num_threads=1)
    assert backend.fixed_batch == 2
    x = _batch(3)
    data = backend.data_preprocessor(dict(inputs=list(x)), False)
    got = backend.predict(data['inputs'], None,
                          dict(flip_test=True, output_heatmaps=True))
    want = _predict(model, x, True)
    for g, w in zip(got, want):
        assert float((g.pred_logit - w.pred_logit).abs().max()) <= TOL
        assert float((g.pred_score - w.pred_score).abs().max()) <= TOL
        assert float((g.pred_fields.heatmap -
                      w.pred_fields.heatmap).abs().max()) <= TOL


def test_deploy_model_refuses_a_preprocessor_it_cannot_export():

    class Odd(nn.Module):
        data_preprocessor = nn.Identity()
        test_cfg = {}

    with pytest.raises(TypeError, match='ImgDataPreprocessor'):
        DeployModel(Odd())


def test_backend_refuses_missing_and_foreign_graphs(tmp_path):
    cfg = get_inference_cfg(INPUT)
    with pytest.raises(FileNotFoundError, match='nope.onnx'):
        OnnxBackend(str(tmp_path / 'nope.onnx'), cfg)
    path = str(tmp_path / 'plain.onnx')
    torch.onnx.export(
        nn.Conv2d(3, 1, 1), (torch.zeros(1, 3, 8, 8), ),
        path,
        input_names=['image'],
        dynamo=False)
    with pytest.raises(ValueError, match='plain.onnx: not a laanet graph'):
        OnnxBackend(path, cfg)
