# Copyright (c) laanet contributors. All rights reserved.
"""The official FakeSTormer video protocol through DeepfakeMetric (one
sample per clip), and the robustness harness's decode cache on clips."""
import json

import numpy as np
import pytest
import torch

from laanet.datasets.transforms import LoadClipFrames
from laanet.evaluation import DeepfakeMetric
from laanet.evaluation.cached_loading import CachedLoading, split_loading
from laanet.evaluation.functional import roc_auc, sigmoid
from laanet.structures import DeepfakeDataSample


def _clip_sample(video, start, label, logit, clip_len=4):
    s = DeepfakeDataSample().set_gt_label(label)
    s.set_pred_logit(torch.tensor([logit]))
    s.set_pred_score(torch.sigmoid(torch.tensor([logit])))
    s.set_field(torch.zeros(clip_len), 'pred_frame_logits')
    s.set_metainfo(dict(
        video_id=video, frame_idx=start,
        frame_indices=list(range(start, start + clip_len)),
        img_path=[f'{video}/{i:03d}.png'
                  for i in range(start, start + clip_len)]))
    return s


def test_video_score_is_the_sigmoid_of_the_mean_clip_logit(tmp_path):
    rng = np.random.default_rng(0)
    videos = {f'real{i}': 0 for i in range(3)}
    videos.update({f'fake{i}': 1 for i in range(3)})
    logits = {v: rng.normal(label, 1.5, size=5) for v, label in
              videos.items()}
    scores_file = str(tmp_path / 'scores.json')
    metric = DeepfakeMetric(scores_file=scores_file)
    samples = [
        _clip_sample(v, 4 * k, videos[v], float(lg))
        for v in videos for k, lg in enumerate(logits[v])
    ]
    metric.process(None, samples)
    out = metric.compute_metrics(metric.results)
    want = {v: float(sigmoid(np.mean(lg))) for v, lg in logits.items()}
    payload = json.load(open(scores_file))
    assert len(payload['frames']) == 30  # one entry per clip
    got = {v['video_id']: v['score'] for v in payload['videos']}
    assert got == pytest.approx(want, abs=1e-6)
    labels = [videos[v] for v in want]
    assert out['video_auc'] == pytest.approx(
        roc_auc(np.array(list(want.values())), np.array(labels)) * 100)
    assert payload['frames'][0]['img_path'] == [
        'real0/000.png', 'real0/001.png', 'real0/002.png', 'real0/003.png']


class CountingClipLoader(LoadClipFrames):
    """The clip loader with made-up frames: T frames per clip, counted."""

    def __init__(self):
        super().__init__()
        self.calls = 0

    def transform(self, results):
        self.calls += 1
        results['img'] = [np.full((4, 4, 3), i, np.uint8)
                          for i, _ in enumerate(results['img_path'])]
        return results


def test_decode_cache_takes_clips():
    loader = CountingClipLoader()
    assert split_loading([loader, lambda r: r]) == 1
    cache = CachedLoading([loader])
    clip = dict(img_path=['v/000.png', 'v/001.png'])
    cache.fill([dict(clip)])
    again = cache(dict(clip))
    assert loader.calls == 1 and len(again['img']) == 2
    assert cache.num_bytes == 2 * 4 * 4 * 3
