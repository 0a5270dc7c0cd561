# Copyright (c) laanet contributors. All rights reserved.
"""torch.compile of a model's parts gives the eager outputs (1e-5)."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper

from laanet.engine import SAM, compile_model
from laanet.registry import MODELS
from laanet.testing import (ToyDeepfakeDataset, ToyDeepfakeModel,
                            assert_outputs_close, get_detector_cfg,
                            get_packed_inputs)
from laanet.utils import register_all_modules

# slow: inductor compiles (C++ code generation) on CPU
pytestmark = pytest.mark.slow


def setup_module():
    register_all_modules()


def test_nothing_to_compile():
    model = ToyDeepfakeModel()
    assert compile_model(model, None) == [] == compile_model(model, False)


def test_parts_compiled_in_place_keys_unchanged():
    model = ToyDeepfakeModel()
    keys = list(model.state_dict())
    names = compile_model(model, dict(backend='eager'))
    assert names == ['backbone', 'dropout', 'cls', 'hm']
    assert list(model.state_dict()) == keys
    assert model.data_preprocessor._compiled_call_impl is None


def _toy_batch(n=6):
    dataset = ToyDeepfakeDataset(num_videos=2, frames_per_video=3, seed=0)
    items = [dataset[i] for i in range(n)]
    return dict(
        inputs=[i['inputs'] for i in items],
        data_samples=[i['data_samples'] for i in items])


def test_sam_train_step_and_flip_tta_under_compile():
    """Inductor: a SAM step (two passes, two optimizer steps) and flip
    test-time augmentation give the eager results (SGD: Adam's first
    step, lr * sign(g), would turn rounding in near-zero gradients into
    lr-sized differences)."""
    torch.manual_seed(0)
    eager = ToyDeepfakeModel(test_cfg=dict(flip_test=True))
    compiled = copy.deepcopy(eager)
    compile_model(compiled)
    for model in (eager, compiled):
        model.train()
        model.train_step(
            _toy_batch(),
            OptimWrapper(SAM(model.parameters(), 'SGD', lr=1e-2)))
    for a, b in zip(eager.parameters(), compiled.parameters()):
        torch.testing.assert_close(b, a, atol=1e-5, rtol=1e-5)
    preds = []
    for model in (eager, compiled):
        model.eval()
        with torch.no_grad():
            preds.append(model.test_step(_toy_batch()))
    for a, b in zip(*preds):
        torch.testing.assert_close(
            b.pred_score, a.pred_score, atol=1e-5, rtol=1e-5)


def test_laanet_b0_forward_and_flip_predict_under_compile():
    torch.manual_seed(0)
    eager = MODELS.build(get_detector_cfg('b0')).eval()
    compiled = copy.deepcopy(eager)
    assert compile_model(compiled) == [
        'backbone', 'neck', 'heatmap_head', 'consistency_head', 'cls_head'
    ]
    data = eager.data_preprocessor(get_packed_inputs(2, 64, 16), False)
    outs = []
    for model in (eager, compiled):
        with torch.no_grad():
            tensors = model(data['inputs'], mode='tensor')
            pred = model.predict(data['inputs'], None,
                                 dict(flip_test=True, output_heatmaps=True))
        outs.append((tensors, pred))
    (t0, p0), (t1, p1) = outs
    assert_outputs_close(t0, t1, p0, p1)
