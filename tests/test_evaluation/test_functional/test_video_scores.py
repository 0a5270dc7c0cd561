# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.evaluation.functional import aggregate_videos, logit, sigmoid


def test_logit_mean_and_prob_mean():
    ids = ['a', 'b', 'a', 'b']
    logits = np.array([-2.0, 3.0, 4.0, 1.0])
    scores = sigmoid(logits)
    videos = aggregate_videos(ids, [0, 1, 0, 1], scores, logits)
    assert [v['video_id'] for v in videos] == ['a', 'b']
    assert videos[0]['score'] == pytest.approx(float(sigmoid(1.0)))
    assert videos[0]['logit'] == pytest.approx(1.0)
    assert videos[1]['num_frames'] == 2
    prob = aggregate_videos(
        ids, [0, 1, 0, 1], scores, logits, mode='prob_mean')
    assert prob[0]['score'] == pytest.approx(
        (sigmoid(-2.0) + sigmoid(4.0)) / 2)
    # Logits recovered from the scores when not given.
    again = aggregate_videos(ids, [0, 1, 0, 1], scores)
    assert again[0]['score'] == pytest.approx(videos[0]['score'])


def test_sigmoid_logit_inverse_and_stable():
    x = np.array([-800.0, -3.0, 0.0, 5.0, 800.0])
    p = sigmoid(x)
    assert np.all(np.isfinite(p)) and p[0] == 0.0 and p[-1] == 1.0
    np.testing.assert_allclose(logit(p[1:4]), x[1:4])


def test_inconsistent_videos_raise():
    with pytest.raises(ValueError, match="'a'.*real and fake"):
        aggregate_videos(['a', 'a'], [0, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match='several manipulations'):
        aggregate_videos(['a', 'a'], [1, 1], [0.1, 0.2],
                         manipulations=['Deepfakes', 'FaceSwap'])
    with pytest.raises(ValueError, match='mode'):
        aggregate_videos(['a'], [1], [0.1], mode='median')
