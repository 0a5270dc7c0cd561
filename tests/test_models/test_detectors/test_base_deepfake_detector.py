# Copyright (c) laanet contributors. All rights reserved.
"""The detector contract takes a clip model without forks: a toy video
detector (inputs (N, 3, T, H, W), a classification and a per-frame map
head) needs only its parts, ``output_names`` and ``extract_feat``."""
import pytest
import torch
from torch import nn

from laanet.models.detectors import BaseDeepfakeDetector
from laanet.models.detectors.base_deepfake_detector import merge_flip
from laanet.models.heads import BaseBinaryClsHead, BaseHead
from laanet.structures import DeepfakeDataSample


class ClipClsHead(BaseBinaryClsHead):
    """One logit per clip from features pooled over (T, H, W)."""

    def __init__(self):
        super().__init__(
            num_classes=1, loss=dict(type='BinaryCrossEntropyLoss'))
        self.fc = nn.Linear(4, 1)

    def pre_logits(self, feats):
        return feats.mean(dim=(2, 3, 4))


class FrameMapHead(BaseHead):
    """A map per frame (N, 1, T, H, W), predicted on request."""
    flip_merge = 'mean_unflip'
    predict_flag = 'output_heatmaps'

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv3d(4, 1, 1)

    def forward(self, feats):
        return self.conv(feats)

    def activate(self, output):
        return torch.sigmoid(output)

    def loss_by_feat(self, maps, data_samples):
        return dict(loss_frame_map=torch.sigmoid(maps).mean())

    def predict_by_feat(self, maps, data_samples):
        for m, sample in zip(maps, data_samples):
            sample.set_field(m.detach(), 'pred_frame_maps')
        return data_samples


class ToyClipDetector(BaseDeepfakeDetector):
    output_names = ('frame_map', 'cls')

    def __init__(self, **kwargs):
        super().__init__(
            data_preprocessor=dict(layout='clip', mean=[0.] * 3,
                                   std=[255.] * 3),
            **kwargs)
        self.backbone = nn.Conv3d(3, 4, (1, 3, 3), padding=(0, 1, 1))
        self.frame_map_head = FrameMapHead()
        self.cls_head = ClipClsHead()

    def extract_feat(self, inputs):
        return self.backbone(inputs)


@pytest.fixture
def clips():
    g = torch.Generator().manual_seed(0)
    return torch.randint(0, 256, (2, 3, 4, 8, 8), generator=g,
                         dtype=torch.uint8)


def test_a_clip_detector_trains_and_predicts_through_the_contract(clips):
    torch.manual_seed(0)
    model = ToyClipDetector(test_cfg=dict(flip_test=True)).eval()
    samples = [DeepfakeDataSample().set_gt_label(i % 2) for i in range(2)]
    data = model.data_preprocessor(dict(inputs=clips, data_samples=samples))
    x = data['inputs']
    assert x.shape == (2, 3, 4, 8, 8)
    with torch.no_grad():
        losses = model(x, samples, mode='loss')
        assert list(losses) == ['loss_frame_map', 'loss_cls', 'acc_cls']
        out = model(x, mode='tensor')
        assert list(out) == ['frame_map', 'cls']
        flipped = model(x.flip(-1), mode='tensor')
        preds = model.test_step(dict(inputs=list(clips)))
    logit = ((out['cls'] + flipped['cls']) / 2).flatten()
    torch.testing.assert_close(torch.cat([p.pred_logit for p in preds]),
                               logit)
    torch.testing.assert_close(
        torch.cat([p.pred_score for p in preds]), torch.sigmoid(logit))
    assert 'pred_frame_maps' not in preds[0]  # not asked for
    cfg = dict(flip_test=True, output_heatmaps=True)
    with torch.no_grad():
        preds = model.predict(x, None, cfg)
    # the flipped clip's maps flipped back along W before averaging
    maps = (torch.sigmoid(out['frame_map']) +
            torch.sigmoid(flipped['frame_map']).flip(-1)) / 2
    torch.testing.assert_close(preds[1].pred_frame_maps, maps[1])


def test_merge_rules():
    a, b = torch.tensor([[1., 2.]]), torch.tensor([[3., 6.]])
    assert merge_flip('mean', a, b).tolist() == [[2., 4.]]
    assert merge_flip('mean_unflip', a, b).tolist() == [[3.5, 2.5]]
    assert merge_flip('first', a, b) is a
    with pytest.raises(ValueError, match='flip_merge'):
        merge_flip('max', a, b)


def test_a_detector_must_extract_features():

    class NoFeatures(BaseDeepfakeDetector):
        pass

    with pytest.raises(NotImplementedError, match='extract_feat'):
        NoFeatures()(torch.zeros(1, 3, 4, 4), mode='tensor')
