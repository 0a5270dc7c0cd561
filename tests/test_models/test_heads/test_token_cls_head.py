# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import TokenClsHead
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_reads_its_token_and_scores_with_the_sigmoid():
    head = TokenClsHead(in_channels=8).eval()
    token = torch.randn(3, 8)
    logits = head(dict(token=token, frame_tokens=None))
    torch.testing.assert_close(logits, head.fc(token))
    samples = head.predict_by_feat(logits)
    for logit, sample in zip(logits[:, 0], samples):
        assert sample.pred_score.item() == pytest.approx(
            torch.sigmoid(logit).item())
        assert sample.pred_label.item() == int(logit.item() >= 0)
    # the official loss: BCE on logit / 2, weight 0.8
    assert head.loss_module.temperature == 2.0
    assert head.loss_module.loss_weight == 0.8
    with pytest.raises(KeyError, match="'token'"):
        head(dict(frame_tokens=token))
