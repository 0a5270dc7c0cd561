# Copyright (c) laanet contributors. All rights reserved.
import json
import os.path as osp

import numpy as np
import pytest
from sklearn import metrics as skm

from laanet.evaluation import DeepfakeMetric
from laanet.evaluation.functional import (dfb_aggregate_videos,
                                          dfb_equal_error_rate,
                                          dfb_protocol_metrics,
                                          dfb_video_key, equal_error_rate,
                                          resolve_protocol)

DATA = osp.join(osp.dirname(osp.dirname(osp.dirname(__file__))), 'data')
DFB_KEYS = ('acc', 'auc', 'eer', 'ap', 'video_auc')


def _reference():
    with open(osp.join(DATA, 'deepfakebench_metric_reference.json')) as f:
        return json.load(f)


@pytest.mark.parametrize('name', sorted(_reference()))
def test_equals_deepfakebench_get_test_metrics(name):
    """DeepfakeBench's own get_test_metrics on the same probabilities
    (tests/data/README.md), ties included, to 1e-9 in percent."""
    ref = _reference()[name]
    frames = ref['frames']
    probs = [r['prob'] for r in frames]
    labels = [r['label'] for r in frames]
    keys = [dfb_video_key(r['dfb_frame_path']) for r in frames]
    out = DeepfakeMetric.calculate(probs, labels, video_ids=keys,
                                   protocol='deepfakebench')
    for k in DFB_KEYS:
        assert abs(out[k] - 100 * ref['deepfakebench'][k]) <= 1e-9, k


def test_reference_sets_tell_the_protocols_apart():
    """The stored sets are not ones where the protocols agree by chance:
    the interpolated EER and DeepfakeBench's differ on the tied sets, and
    grouping by full id changes the video AUC where folder names
    collide."""
    ref = _reference()
    frames = ref['ties_three_levels_real_fake_collision']['frames']
    probs = [r['prob'] for r in frames]
    labels = [r['label'] for r in frames]
    assert equal_error_rate(probs, labels) != pytest.approx(
        dfb_equal_error_rate(probs, labels))
    full = DeepfakeMetric.calculate(
        probs, labels, video_ids=[r['video_id'] for r in frames],
        protocol='deepfakebench')
    dfb = ref['ties_three_levels_real_fake_collision']['deepfakebench']
    assert full['video_auc'] != pytest.approx(100 * dfb['video_auc'])
    assert full['auc'] == pytest.approx(100 * dfb['auc'], abs=1e-9)


def test_video_key():
    assert dfb_video_key(
        'FaceForensics++\\manipulated_sequences\\Deepfakes\\c23\\frames'
        '\\000_003\\000.png') == '000_003'
    assert dfb_video_key('/data/Celeb-DF-v2/Celeb-real/frames/id0_0000/'
                         '010.png') == 'id0_0000'
    with pytest.raises(ValueError, match='has no folder'):
        dfb_video_key('000.png')


def test_aggregate_videos_merges_and_floors():
    # 'a' mixes a real and a fake frame: label int(0.5) = 0
    keys = ['a', 'b', 'a', 'b', 'c']
    scores = [0.2, 0.9, 0.6, 0.7, 0.1]
    labels = [0, 1, 1, 1, 0]
    v_scores, v_labels, groups = dfb_aggregate_videos(keys, scores, labels)
    assert v_scores.tolist() == [0.4, 0.8, 0.1]
    assert v_labels.tolist() == [0, 1, 0]
    assert groups == [[0, 2], [1, 3], [4]]
    # one frame after the other (not pairwise): 0.1 + 0.2 + 0.3, then / 3
    many = [0.1, 0.2, 0.3]
    assert dfb_aggregate_videos(['v'] * 3, many, [1] * 3)[0][0] == (
        (0.1 + 0.2) + 0.3) / 3


def test_per_method_is_the_protocol_on_reals_plus_that_method():
    frames = _reference()['ties_tenths_slash']['frames']
    probs = np.array([r['prob'] for r in frames])
    labels = np.array([r['label'] for r in frames])
    keys = [dfb_video_key(r['dfb_frame_path']) for r in frames]
    methods = np.array([r['method'] for r in frames])
    out = dfb_protocol_metrics(probs, labels, keys, breakdown=methods)
    assert sorted(k for k in out if k.startswith('auc_')) == [
        'auc_FF-DF', 'auc_FF-FS'
    ]
    for m in ('FF-DF', 'FF-FS'):
        keep = (labels == 0) | (methods == m)
        assert out[f'auc_{m}'] == pytest.approx(
            100 * skm.roc_auc_score(labels[keep], probs[keep]))
        sub = dfb_protocol_metrics(probs[keep], labels[keep],
                                   [k for k, s in zip(keys, keep) if s])
        assert out[f'video_auc_{m}'] == sub['video_auc']
    # the merged FF-DF / FF-FS folders make the pooled video AUC differ
    # from each method's
    assert out['video_auc'] not in (out['video_auc_FF-DF'],
                                    out['video_auc_FF-FS'])


def test_acc_is_strictly_above_threshold():
    out = dfb_protocol_metrics([0.5, 0.5, 0.7, 0.2], [1, 0, 1, 0],
                               ['a', 'b', 'c', 'd'])
    assert out['acc'] == 75.0  # 0.5 -> real
    official = DeepfakeMetric.calculate([0.5, 0.5, 0.7, 0.2], [1, 0, 1, 0])
    assert official['acc'] == 75.0  # 0.5 -> fake: the other 0.5 wrong
    out = dfb_protocol_metrics([0.5, 0.4], [1, 0], ['a', 'b'],
                               threshold=0.45)
    assert out['acc'] == 100.0


def test_single_class_is_nan_with_warning():
    with pytest.warns(UserWarning, match='AUC is undefined'):
        out = dfb_protocol_metrics([0.3, 0.8], [1, 1], ['a', 'b'])
    assert np.isnan(out['auc']) and np.isnan(out['eer'])
    assert np.isnan(out['video_auc'])
    assert out['acc'] == 50.0


def test_resolve_protocol():
    assert resolve_protocol('official', None, None) == ('official',
                                                        'logit_mean',
                                                        'full_id')
    assert resolve_protocol('deepfakebench', None, None) == (
        'deepfakebench', 'prob_mean', 'dfb_basename')
    assert resolve_protocol('deepfakebench', 'prob_mean', 'full_id')[2] == (
        'full_id')
    with pytest.raises(ValueError, match='protocol'):
        resolve_protocol('dfb', None, None)
    with pytest.raises(ValueError, match="belongs to\n?.*deepfakebench"):
        resolve_protocol('official', None, 'dfb_basename')
    with pytest.raises(ValueError, match='mean frame'):
        resolve_protocol('deepfakebench', 'logit_mean', None)
    with pytest.raises(ValueError, match='video_grouping'):
        resolve_protocol('deepfakebench', None, 'parent')
