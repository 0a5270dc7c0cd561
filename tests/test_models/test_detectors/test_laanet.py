# Copyright (c) laanet contributors. All rights reserved.
import copy

import pytest
import torch
from mmengine.runner import load_checkpoint
from torch import nn

from laanet.registry import MODELS
from laanet.testing import (assert_outputs_close, capture_log,
                            get_detector_cfg, get_packed_inputs)
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


@pytest.fixture(scope='module')
def model():
    register_all_modules()
    torch.manual_seed(0)
    return MODELS.build(get_detector_cfg('b0'))


def test_tensor_mode_keys_and_shapes(model):
    model.eval()
    out = model(torch.randn(2, 3, 64, 64), mode='tensor')
    assert list(out) == ['heatmap', 'cls', 'consistency']
    assert out['heatmap'].shape == (2, 1, 16, 16)
    assert out['cls'].shape == (2, 1)
    assert out['consistency'].shape == (2, 256, 16, 16)


def test_loss_and_gradients_reach_every_parameter(model):
    model.train()
    data = model.data_preprocessor(get_packed_inputs(4, 64, 16), True)
    model.zero_grad()
    losses = model(**data, mode='loss')
    assert set(losses) == {
        'loss_heatmap', 'loss_consistency', 'loss_cls', 'acc_cls'
    }
    loss, log_vars = model.parse_losses(losses)
    assert torch.isfinite(loss)
    loss.backward()
    missing = [
        n for n, p in model.named_parameters()
        if p.requires_grad and (p.grad is None or not p.grad.abs().sum())
    ]
    assert not missing


def test_predict_flip_tta_is_mean_of_both_logits(model):
    model.eval()
    data = model.data_preprocessor(get_packed_inputs(2, 64, 16), False)
    samples = model(**data, mode='predict')
    with torch.no_grad():
        plain = model(data['inputs'], mode='tensor')['cls']
        flipped = model(data['inputs'].flip(-1), mode='tensor')['cls']
    expected = ((plain + flipped) / 2).flatten()
    got = torch.cat([s.pred_logit for s in samples])
    torch.testing.assert_close(got, expected)
    assert all(0 <= s.pred_score.item() <= 1 for s in samples)
    assert samples[0].gt_label.item() == 0  # ground truth kept


def test_flip_tta_averages_heatmaps_flipped_back(model):
    """One flip TTA for every head: the heatmap of the flipped image is
    flipped back before averaging; consistency uses the image only."""
    model.eval()
    x = torch.randn(1, 3, 64, 64)
    cfg = dict(flip_test=True, output_heatmaps=True, output_consistency=True)
    (sample, ) = model.predict(x, None, cfg)
    with torch.no_grad():
        plain = model(x, mode='tensor')
        flipped = model(x.flip(-1), mode='tensor')
        got = model.predict_outputs(x, True, ['heatmap', 'consistency'])
    expected = (torch.sigmoid(plain['heatmap']) +
                torch.sigmoid(flipped['heatmap']).flip(-1)) / 2
    torch.testing.assert_close(sample.pred_fields.heatmap, expected[0])
    torch.testing.assert_close(got['heatmap'], expected)
    torch.testing.assert_close(got['consistency'], plain['consistency'])
    assert model.predicted_outputs(dict(output_heatmaps=True)) == [
        'heatmap', 'cls'
    ]


def test_predict_without_flip_and_with_heatmaps():
    torch.manual_seed(0)
    cfg = get_detector_cfg('b0')
    cfg['test_cfg'] = dict(
        flip_test=False, output_heatmaps=True, output_consistency=True)
    model = MODELS.build(cfg).eval()
    inputs = torch.randn(1, 3, 64, 64)
    (sample, ) = model(inputs, mode='predict')
    with torch.no_grad():
        out = model(inputs, mode='tensor')
    assert sample.pred_logit.item() == pytest.approx(
        out['cls'].item(), abs=1e-6)
    torch.testing.assert_close(sample.pred_fields.heatmap,
                               torch.sigmoid(out['heatmap'][0]))
    assert sample.pred_fields.consistency.shape == (1, 16, 16)


def test_heads_can_be_switched_off_and_bad_mode():
    cfg = get_detector_cfg('b0')
    cfg['heatmap_head'] = cfg['consistency_head'] = None
    model = MODELS.build(cfg)
    data = model.data_preprocessor(get_packed_inputs(2, 64, 16), True)
    assert set(model(**data, mode='loss')) == {'loss_cls', 'acc_cls'}
    with pytest.raises(RuntimeError, match='Invalid mode'):
        model(data['inputs'], mode='features')
    cfg['cls_head'] = None
    with pytest.raises(ValueError):
        MODELS.build(cfg)


def test_default_test_cfg_and_preprocessor():
    cfg = get_detector_cfg('b0')
    del cfg['test_cfg'], cfg['data_preprocessor']
    model = MODELS.build(cfg)
    assert model.test_cfg['flip_test'] is True
    assert type(
        model.data_preprocessor).__name__ == ('DeepfakeDataPreprocessor')


@pytest.mark.slow  # full B4 official-layout network
def test_official_checkpoint_matches_official_outputs(tmp_path):
    """Official-layout weights → the official hm / cls / cstency outputs
    (laanet's heatmap / cls / consistency)."""
    pytest.importorskip('efficientnet_pytorch')
    from mmengine.config import Config

    from official_reference.network import OfficialReferenceLAANet
    torch.manual_seed(0)
    ref = OfficialReferenceLAANet().eval()
    for m in ref.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    cfg = Config.fromfile('configs/_base_/models/laanet_efn-b4-efpn.py')
    cfg.model.backbone.static_padding_size = 380
    model = MODELS.build(cfg.model).eval()
    # the official checkpoint format: float64, DataParallel prefixes
    state = {'module.' + k: v.double() for k, v in ref.state_dict().items()}
    path = tmp_path / 'official.pth'
    torch.save(dict(epoch=3, state_dict=state, optimizer={}), path)
    with capture_log() as messages:
        load_checkpoint(model, str(path), map_location='cpu', strict=True)
    assert any('official LAA-Net checkpoint' in m for m in messages)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected, got = ref(x), model(x, mode='tensor')
    names = dict(hm='heatmap', cls='cls', cstency='consistency')
    for key, name in names.items():
        assert got[name].dtype == torch.float32
        torch.testing.assert_close(
            got[name], expected[key], atol=1e-4, rtol=0)


@pytest.mark.slow  # full B4 official-layout network
def test_official_checkpoint_into_separate_inception_weights():
    pytest.importorskip('efficientnet_pytorch')
    from official_reference.network import OfficialReferenceLAANet
    torch.manual_seed(0)
    state = OfficialReferenceLAANet().state_dict()
    cfg = get_detector_cfg('b4')
    cfg['neck']['shared_inception_pw'] = False
    model = MODELS.build(copy.deepcopy(cfg))
    model.load_state_dict(state, strict=True)
    block = model.neck.up_blocks[2].block
    for name in ('pw_conv3', 'pw_conv5', 'pw_pool'):
        torch.testing.assert_close(
            getattr(block, name).conv.weight,
            state['inception_block.pw_block.0.weight'])


def _loss_grads(model, inputs, samples):
    """The log vars and the parameter gradients of one loss pass."""
    model.train()
    model.zero_grad()
    loss, log_vars = model.parse_losses(model(inputs, samples, mode='loss'))
    loss.backward()
    log_vars = {k: float(v.detach()) for k, v in log_vars.items()}
    return log_vars, [p.grad.clone() for p in model.parameters()]


def test_channels_last_equals_contiguous_layout():
    """The default channels-last batch gives the contiguous layout's
    outputs, losses and flip-TTA predictions within 1e-5, and gradients as
    close to the float64 ones (random masks follow the memory layout:
    dropout and stochastic depth are off)."""
    torch.manual_seed(0)
    cfg = get_detector_cfg('b0')
    cfg['backbone']['drop_path_rate'] = 0.
    cfg['neck']['dropout'] = 0.
    cfg['data_preprocessor'] = dict(
        type='DeepfakeDataPreprocessor', channels_last=False)
    dense = MODELS.build(cfg)
    fast = copy.deepcopy(dense)
    fast.data_preprocessor.channels_last = True
    raw = get_packed_inputs(4, 64, 16)
    outs = {}
    for name, model in (('dense', dense), ('fast', fast)):
        data = model.data_preprocessor(copy.deepcopy(raw), True)
        assert data['inputs'].is_contiguous(
            memory_format=torch.channels_last) == (name == 'fast')
        log_vars, grads = _loss_grads(model, data['inputs'],
                                      data['data_samples'])
        model.eval()
        with torch.no_grad():
            tensors = model(data['inputs'], mode='tensor')
            pred = model.predict(data['inputs'], None,
                                 dict(flip_test=True, output_heatmaps=True))
        outs[name] = (log_vars, grads, tensors, pred)
    (lv0, g0, t0, p0), (lv1, g1, t1, p1) = outs['dense'], outs['fast']
    for key in lv0:
        assert lv1[key] == pytest.approx(lv0[key], abs=1e-5, rel=1e-5)
    assert_outputs_close(t0, t1, p0, p1)
    # Backward through BatchNorm on 2x2 maps amplifies float32 rounding
    # (the contiguous layout's stem gradient was ~1% off the float64 one
    # with one thread, 1.4e-5 with two): channels-last must be as accurate
    # as float32 allows, and not clearly worse than the contiguous layout.
    dense64 = copy.deepcopy(dense).double()
    data = dense64.data_preprocessor(copy.deepcopy(raw), True)
    for sample in data['data_samples']:
        for key in ('heatmap', 'consistency'):
            sample.gt_fields.set_field(
                sample.gt_fields.get(key).double(), key)
    _, g64 = _loss_grads(dense64, data['inputs'].double(),
                         data['data_samples'])

    def rel_err(grads):
        num = sum(float((g.double() - r).norm()**2) for g, r in zip(
            grads, g64))
        return (num / sum(float(r.norm()**2) for r in g64))**0.5

    assert rel_err(g1) <= max(2 * rel_err(g0), 1e-4)
