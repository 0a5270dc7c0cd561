# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeClassifier: SBI parity with efficientnet_pytorch, both head
layouts, flip TTA, and the official SBI checkpoint layout."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import load_checkpoint

from laanet.apis import init_model
from laanet.registry import MODELS
from laanet.testing import get_packed_inputs
from laanet.utils import register_all_modules

SBI_MODEL = 'configs/_base_/models/sbi_efn-b4.py'


def classifier_cfg(arch='b0', num_classes=2, channels=1280):
    """A small DeepfakeClassifier config (SBI's layout)."""
    return dict(
        type='DeepfakeClassifier',
        data_preprocessor=dict(mean=[0., 0., 0.], std=[255., 255., 255.]),
        backbone=dict(type='EfficientNet', arch=arch, out_indices=(5, )),
        cls_head=dict(
            type='LinearClsHead',
            in_channels=channels,
            num_classes=num_classes,
            dropout_rate=0.4))


def face_batch(size):
    """Four varied RGB inputs in [0, 1]: the astronaut face, its mirror,
    its negative and noise."""
    import cv2

    from laanet.utils.demo_media import astronaut_face_crop
    img, _ = astronaut_face_crop()
    rgb = cv2.resize(img, (size, size))[..., ::-1].copy()
    a = torch.from_numpy(rgb).permute(2, 0, 1).float() / 255
    noise = torch.rand(
        3, size, size, generator=torch.Generator().manual_seed(1))
    return torch.stack([a, a.flip(-1), 1 - a, noise])


def reference_model(name='efficientnet-b4', size=380, seed=0):
    """efficientnet_pytorch's EfficientNet with 2 classes (the model SBI
    trains), its BN statistics set from a batch of faces so that its
    eval-mode outputs differ between inputs (a random init collapses)."""
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    torch.manual_seed(seed)
    ref = efficientnet_pytorch.EfficientNet.from_name(name, num_classes=2)
    torch.nn.init.normal_(ref._fc.weight, std=0.1)
    for m in ref.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # the running stats become the batch's
    ref.train()
    with torch.no_grad():
        ref(face_batch(size))
    return ref.eval()


def sbi_file(ref, path, epoch=7):
    """Save a model in the layout of SBI's released checkpoints."""
    sd = {'net.' + k: v for k, v in ref.state_dict().items()}
    torch.save(dict(model=sd, optimizer=dict(), epoch=epoch), path)
    return path


@pytest.mark.parametrize('arch', [
    'b0',
    pytest.param('b4', marks=pytest.mark.slow),
])
def test_sbi_checkpoint_parity_with_efficientnet_pytorch(tmp_path, arch):
    """The issue's bar (B4, the SBI config, 380 px; B0 at 224 px in the
    quick suite): the same logits within 1e-4 in eval mode, through SBI's
    checkpoint layout and init_model."""
    register_all_modules()
    size = 380 if arch == 'b4' else 224
    ref = reference_model(f'efficientnet-{arch}', size)
    ckpt = sbi_file(ref, str(tmp_path / 'FFraw.tar'))
    config = SBI_MODEL
    if arch != 'b4':
        config = Config(dict(model=classifier_cfg(arch)))
    model = init_model(config, ckpt, device='cpu')
    x = face_batch(size)
    with torch.no_grad():
        want = ref(x)
        got = model(x, mode='tensor')['cls']
        # predict from uint8 BGR through the [0, 1] preprocessor
        u8 = (x * 255).round()
        pred = model.test_step(
            dict(inputs=list(u8.flip(1).to(torch.uint8))))
        want_u8 = ref(u8 / 255).softmax(1)[:, 1]
    assert (got - want).abs().max().item() < 1e-4
    assert (want[0] - want[2]).abs().max() > 1e-2  # not a constant model
    scores = torch.stack([p.pred_score for p in pred]).reshape(-1)
    assert torch.allclose(scores, want_u8, atol=1e-5)


def test_two_logit_head_scores_and_logits():
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(classifier_cfg()).eval()
    data = get_packed_inputs(batch_size=4, img_size=64, with_targets=False)
    with torch.no_grad():
        batch = model.data_preprocessor(data, False)
        logits = model(batch['inputs'], mode='tensor')['cls']
        preds = model(**batch, mode='predict')
    assert logits.shape == (4, 2)
    for i, p in enumerate(preds):
        p_fake = logits[i].softmax(0)[1]
        assert torch.allclose(p.pred_score, p_fake)
        assert torch.allclose(p.pred_logit, logits[i, 1] - logits[i, 0])
        # sigmoid(pred_logit) is the same P(fake): metrics may use either
        assert torch.allclose(torch.sigmoid(p.pred_logit), p_fake, atol=1e-6)
        assert 'pred_label' not in p  # the metric decides
    assert torch.allclose(model.cls_head.score_from_logits(logits),
                          logits.softmax(1)[:, 1])


def test_one_logit_head_uses_bce_and_sigmoid():
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(classifier_cfg(num_classes=1))
    assert type(model.cls_head.loss_module).__name__ == \
        'BinaryCrossEntropyLoss'
    data = get_packed_inputs(batch_size=4, img_size=64, with_targets=False)
    model.train()
    losses = model(**model.data_preprocessor(data, True), mode='loss')
    assert set(losses) == {'loss_cls', 'acc_cls'}
    assert torch.isfinite(losses['loss_cls'])
    model.eval()
    with torch.no_grad():
        batch = model.data_preprocessor(data, False)
        logits = model(batch['inputs'], mode='tensor')['cls']
        preds = model(**batch, mode='predict')
    assert logits.shape == (4, 1)
    for i, p in enumerate(preds):
        assert torch.allclose(p.pred_score, torch.sigmoid(logits[i, 0]))
        assert torch.allclose(p.pred_logit, logits[i, 0])


def test_two_logit_loss_is_cross_entropy():
    register_all_modules()
    torch.manual_seed(0)
    model = MODELS.build(classifier_cfg()).eval()  # no dropout
    data = get_packed_inputs(batch_size=4, img_size=64, with_targets=False)
    batch = model.data_preprocessor(data, False)
    losses = model(**batch, mode='loss')
    logits = model(batch['inputs'], mode='tensor')['cls']
    labels = torch.tensor([int(s.gt_label) for s in batch['data_samples']])
    assert torch.allclose(losses['loss_cls'],
                          torch.nn.functional.cross_entropy(logits, labels))
    with pytest.raises(ValueError, match='one data sample per image'):
        model(batch['inputs'], batch['data_samples'][:2], mode='loss')


def test_flip_test_averages_the_logits_of_both_views():
    register_all_modules()
    torch.manual_seed(0)
    cfg = dict(classifier_cfg(), test_cfg=dict(flip_test=True))
    cfg['cls_head']['dropout_rate'] = 0.
    cfg['backbone']['drop_path_rate'] = 0.
    # BN on batch statistics: a random init gives near-constant outputs
    # in eval mode, which would hide a missing flip
    model = MODELS.build(cfg).train()
    assert model.test_cfg['flip_test']
    x = face_batch(64)
    with torch.no_grad():
        mean = (model(x)['cls'] + model(x.flip(-1))['cls']) / 2
        preds = model.predict(x)
        plain = model.predict(x, test_cfg=dict(flip_test=False))
    assert torch.allclose(
        torch.stack([p.pred_score for p in preds]).reshape(-1),
        mean.softmax(1)[:, 1], atol=1e-6)
    assert not torch.allclose(
        torch.stack([p.pred_score for p in plain]),
        torch.stack([p.pred_score for p in preds]))
    # the default (SBI) does not flip
    assert MODELS.build(classifier_cfg()).test_cfg == dict(flip_test=False)


def test_sbi_file_loads_through_load_checkpoint_and_logs(tmp_path):
    register_all_modules()
    torch.manual_seed(0)
    src = MODELS.build(classifier_cfg())
    # an SBI-layout file from a lukemelas-keyed B0
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    ref = efficientnet_pytorch.EfficientNet.from_name(
        'efficientnet-b0', num_classes=2).eval()
    path = sbi_file(ref, str(tmp_path / 'sbi_b0.tar'))
    load_checkpoint(src, path, map_location='cpu', strict=True)
    assert torch.equal(src.cls_head.fc.weight, ref._fc.weight)
    assert torch.equal(src.backbone.conv_stem.weight,
                       ref._conv_stem.weight)


@pytest.mark.parametrize('damage', ['partial', 'other_arch', 'one_class'])
def test_a_wrong_sbi_file_names_the_keys(tmp_path, damage):
    register_all_modules()
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    arch = 'efficientnet-b1' if damage == 'other_arch' else 'efficientnet-b0'
    ref = efficientnet_pytorch.EfficientNet.from_name(arch, num_classes=2)
    sd = {'net.' + k: v for k, v in ref.state_dict().items()}
    if damage == 'partial':
        sd.pop('net._conv_head.weight')
        sd.pop('net._bn1.weight')
    path = str(tmp_path / 'bad.tar')
    torch.save(dict(model=sd, epoch=1), path)
    model = MODELS.build(
        classifier_cfg(num_classes=1 if damage == 'one_class' else 2))
    with pytest.raises(ValueError) as err:
        load_checkpoint(model, path, map_location='cpu')
    msg = str(err.value)
    assert 'official SBI checkpoint does not fit' in msg
    if damage == 'partial':
        assert 'missing keys' in msg and 'backbone.conv_head.weight' in msg
        assert 'backbone.bn2.weight' in msg
    elif damage == 'other_arch':
        assert 'blocks' in msg  # B1 has 23 blocks, B0 16
    else:
        assert 'shape mismatches' in msg and 'cls_head.fc.weight' in msg


def test_sbi_configs_build_the_reference_architecture():
    """The config's model is the efficientnet_pytorch B4 of SBI: same
    parameter count, 1792 pooled features, 2 outputs."""
    register_all_modules()
    cfg = Config.fromfile(SBI_MODEL)
    model = MODELS.build(copy.deepcopy(cfg.model))
    efficientnet_pytorch = pytest.importorskip('efficientnet_pytorch')
    ref = efficientnet_pytorch.EfficientNet.from_name(
        'efficientnet-b4', num_classes=2)
    n_ours = sum(p.numel() for p in model.parameters())
    n_ref = sum(p.numel() for p in ref.parameters())
    assert n_ours == n_ref
    assert model.cls_head.fc.in_features == 1792
    assert model.cls_head.num_classes == 2
    assert tuple(model.data_preprocessor.std.reshape(-1).tolist()) == (
        255., 255., 255.)
