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
    assert [int(p.pred_label) for p in preds] == \
        (logits.argmax(1)).tolist()


def test_threshold_sets_the_label():
    head = LinearClsHead(in_channels=2, num_classes=2, threshold=0.9)
    with torch.no_grad():
        head.fc.weight.copy_(torch.eye(2))
        head.fc.bias.zero_()
    # P(fake) = sigmoid(1) = 0.73: below 0.9
    pred = head.predict(torch.tensor([[0., 1.]]))[0]
    assert abs(float(pred.pred_score) - 0.7311) < 1e-4
    assert int(pred.pred_label) == 0


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
    with pytest.raises(ValueError, match='threshold'):
        LinearClsHead(in_channels=4, threshold=2)
    with pytest.raises(ValueError, match='GlobalAveragePooling'):
        LinearClsHead(in_channels=4)(torch.zeros(2, 4, 3, 3))
    head = LinearClsHead(in_channels=4)
    with pytest.raises(ValueError, match='gt_label'):
        head.loss(torch.zeros(2, 4), samples([0]))
