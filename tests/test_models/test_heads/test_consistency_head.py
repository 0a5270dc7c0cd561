# Copyright (c) laanet contributors. All rights reserved.
import math

import pytest
import torch

from laanet.models.heads import ConsistencyHead
from laanet.testing import get_packed_inputs
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_init_shapes_and_loss_anchor():
    torch.manual_seed(0)
    head = ConsistencyHead(in_channels=16, feat_channels=64)
    w = head.final_conv.weight
    assert w.shape == (256, 64, 1, 1)
    assert w.std().item() == pytest.approx(math.sqrt(2 / 256), rel=0.05)
    assert (head.final_conv.bias == 0).all()
    feats = (torch.randn(2, 16, 8, 8), )
    emb = head(feats)
    assert emb.shape == (2, 256, 8, 8)
    samples = get_packed_inputs(2, 32, 8)['data_samples']
    loss = head.loss_by_feat(emb, samples)['loss_consistency']
    # by hand: anchor = first argmax of each target
    total = 0
    for b, s in enumerate(samples):
        t = s.gt_fields.consistency.flatten()
        a = int(torch.nonzero(t == t.max())[0])
        f = emb[b].flatten(1)
        p = torch.sigmoid(f[:, a] @ f / 16)
        total = total + torch.nn.functional.binary_cross_entropy(
            p, t, reduction='sum')
    assert loss.item() == pytest.approx(
        100 * total.item() / (2 * 64), rel=1e-4)


def test_predict_consistency_needs_heatmap():
    head = ConsistencyHead(in_channels=16).eval()
    samples = get_packed_inputs(1, 32, 8)['data_samples']
    with pytest.raises(KeyError, match='output_heatmaps'):
        head.predict((torch.randn(1, 16, 8, 8), ), samples)
    hm = torch.zeros(1, 8, 8)
    hm[0, 2, 3] = 1
    samples[0].set_pred_heatmap(hm)
    out = head.predict((torch.randn(1, 16, 8, 8), ), samples)
    cst = out[0].pred_fields.consistency
    assert cst.shape == (1, 8, 8)
    # the anchor's self-similarity is the largest-norm term: > 0.5
    assert cst[0, 2, 3] > 0.5
