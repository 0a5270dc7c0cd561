# Copyright (c) laanet contributors. All rights reserved.
import pytest
import torch

from laanet.models.heads import FrameLogitsHead
from laanet.structures import DeepfakeDataSample
from laanet.utils import register_all_modules


def setup_module():
    register_all_modules()


def test_official_layout_and_other_clip_lengths():
    head = FrameLogitsHead(in_channels=768)
    assert head.fc_out.weight.shape == (4, 768)  # the official layer
    short = FrameLogitsHead(in_channels=64, num_frames=2)
    out = short(dict(frame_tokens=torch.randn(3, 2, 64)))
    assert out.shape == (3, 2)
    with pytest.raises(ValueError, match=r'\(N, 2, C\)'):
        short(dict(frame_tokens=torch.randn(3, 4, 64)))


def test_loss_needs_frame_targets_and_predict_writes_them():
    head = FrameLogitsHead(in_channels=8, num_frames=4)
    logits = torch.randn(2, 4)
    samples = [DeepfakeDataSample() for _ in range(2)]
    with pytest.raises(KeyError, match='gt_frame_scores'):
        head.loss_by_feat(logits, samples)
    for s in samples:
        s.set_field(torch.rand(3), 'gt_frame_scores', dtype=torch.Tensor)
    with pytest.raises(ValueError, match='do not fit'):
        head.loss_by_feat(logits, samples)
    head.predict_by_feat(logits, samples)
    torch.testing.assert_close(samples[1].pred_frame_logits, logits[1])
