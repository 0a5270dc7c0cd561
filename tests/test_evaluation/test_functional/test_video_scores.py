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


def test_select_frame_face_ignores_small_faces():
    from laanet.evaluation.functional import select_frame_face
    best, keep = select_frame_face([100., 10., 80.], [0.5, 9., 1.2], 0.5)
    assert keep == [True, False, True]
    assert best == 2  # the small face scores higher but is ignored
    best, _ = select_frame_face([100., 100.], [1., 1.], 0.5)
    assert best == 0  # first on ties
    with pytest.raises(ValueError, match='at least one face'):
        select_frame_face([], [], 0.5)


def test_score_video_is_aggregate_videos():
    from laanet.evaluation.functional import score_video
    scores = [0.9, 0.2, 0.6]
    for mode in ('logit_mean', 'prob_mean'):
        (video, ) = aggregate_videos(['v'] * 3, [1] * 3, scores, mode=mode)
        assert score_video(scores, mode=mode) == video['score']
    assert score_video([0.2, 0.4], mode='prob_mean') == pytest.approx(0.3)
    with pytest.raises(ValueError, match='at least one frame'):
        score_video([])
