# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import DeepfakeClsHead
from laanet.testing import get_packed_inputs
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_forward_loss_and_accuracy():
    head = DeepfakeClsHead(in_channels=16)
    feats = (torch.randn(4, 16, 8, 8), )
    logits = head(feats)
    assert logits.shape == (4, 1)
    samples = get_packed_inputs(4, 32, 8)['data_samples']
    losses = head.loss(feats, samples)
    assert set(losses) == {'loss_cls', 'acc_cls'}
    labels = torch.tensor([0., 1., 0., 1.])
    expected = torch.nn.functional.binary_cross_entropy_with_logits(
        logits.flatten(), labels)
    assert losses['loss_cls'].item() == pytest.approx(expected.item())
    pred = (logits.flatten() >= 0).float()
    assert losses['acc_cls'].item() == (pred == labels).float().mean()


def test_predict_sets_logit_and_score_only():
    """The real/fake decision is the metric's: the head sets no label."""
    head = DeepfakeClsHead(in_channels=16).eval()
    x = torch.randn(2, 16, 8, 8)
    out = head.predict((x, ))
    expected = head(x).flatten()
    torch.testing.assert_close(
        torch.cat([s.pred_logit for s in out]), expected)
    for s, logit in zip(out, expected):
        assert s.pred_score.item() == pytest.approx(
            torch.sigmoid(logit).item())
        assert 'pred_label' not in s


def test_pre_logits_is_the_pooled_stem():
    head = DeepfakeClsHead(in_channels=16, feat_channels=8).eval()
    x = torch.randn(2, 16, 8, 8)
    pooled = head.pre_logits((x, ))
    assert pooled.shape == (2, 8)
    torch.testing.assert_close(pooled, head.stem(x).mean(dim=(2, 3)))
    torch.testing.assert_close(head(x), head.fc(pooled))
    with pytest.raises(TypeError, match='threshold'):
        DeepfakeClsHead(threshold=0.5)


def test_score_from_logits_is_the_predicted_score():
    """The one logit -> P(fake) rule: sigmoid, (N, 1) -> (N,); predict
    uses it."""
    head = DeepfakeClsHead(in_channels=16).eval()
    logits = torch.tensor([[-3.], [0.], [2.5]])
    scores = head.score_from_logits(logits)
    assert scores.shape == (3, )
    torch.testing.assert_close(scores, torch.sigmoid(logits).flatten())
    samples = head.predict_by_feat(logits)
    torch.testing.assert_close(
        torch.cat([s.pred_score for s in samples]), scores)
