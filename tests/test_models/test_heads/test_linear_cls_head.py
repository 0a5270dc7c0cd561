# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import LinearClsHead
from laanet.structures import DeepfakeDataSample


def samples(labels):
    return [DeepfakeDataSample().set_gt_label(int(v)) for v in labels]


def test_two_class_head_loss_accuracy_and_prediction():
    torch.manual_seed(0)
    head = LinearClsHead(in_channels=8, num_classes=2).eval()
    feats = (torch.randn(6, 8), )
    logits = head(feats)
    labels = torch.tensor([0, 1, 0, 1, 1, 0])
    out = head.loss(feats, samples(labels))
    assert torch.allclose(out['loss_cls'],
                          torch.nn.functional.cross_entropy(logits, labels))
    acc = ((logits.softmax(1)[:, 1] >= 0.5).long() == labels).float().mean()
    assert torch.allclose(out['acc_cls'], acc)
    preds = head.predict(feats)
    scores = torch.cat([p.pred_score for p in preds])
    assert ((scores >= 0.5).long() == logits.argmax(1)).all()


def test_score_and_logit_of_the_two_logits():
    head = LinearClsHead(in_channels=2, num_classes=2)
    with torch.no_grad():
        head.fc.weight.copy_(torch.eye(2))
        head.fc.bias.zero_()
    # softmax[:, 1] of (0, 1) = sigmoid(1 - 0)
    pred = head.predict(torch.tensor([[0., 1.]]))[0]
    assert abs(float(pred.pred_score) - 0.7311) < 1e-4
    assert float(pred.pred_logit) == 1.0
    assert 'pred_label' not in pred


def test_dropout_is_active_in_training_only():
    torch.manual_seed(0)
    head = LinearClsHead(in_channels=64, num_classes=2, dropout_rate=0.5)
    x = torch.ones(4, 64)
    head.train()
    assert not torch.allclose(head(x), head(x))
    head.eval()
    assert torch.allclose(head(x), head(x))


def test_errors():
    with pytest.raises(ValueError, match='num_classes'):
        LinearClsHead(in_channels=4, num_classes=3)
    with pytest.raises(ValueError, match='dropout_rate'):
        LinearClsHead(in_channels=4, dropout_rate=1.)
    with pytest.raises(ValueError, match='GlobalAveragePooling'):
        LinearClsHead(in_channels=4)(torch.zeros(2, 4, 3, 3))
    head = LinearClsHead(in_channels=4)
    with pytest.raises(ValueError, match='gt_label'):
        head.loss(torch.zeros(2, 4), samples([0]))
