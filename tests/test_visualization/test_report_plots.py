# Copyright (c) laanet contributors. All rights reserved.
import cv2
import numpy as np

from laanet.visualization import plot_frame_scores


def _result(scores):
    return dict(
        file='/data/clip.mp4',
        threshold=0.5,
        score=None if all(s is None for s in scores) else 0.6,
        frames=[dict(index=10 * i, score=s) for i, s in enumerate(scores)])


def test_plot_frame_scores_draws_the_frames(tmp_path):
    a = plot_frame_scores(_result([0.1, 0.9, None, 0.7]),
                          str(tmp_path / 'a.png'))
    b = plot_frame_scores(_result([0.9, 0.1, None, 0.2]),
                          str(tmp_path / 'b.png'))
    img_a, img_b = cv2.imread(a), cv2.imread(b)
    assert img_a.shape == (500, 800, 3)
    # red markers (tab:red, BGR about (40, 39, 214)) are drawn
    red = (img_a[..., 2] > 180) & (img_a[..., 1] < 80) & (img_a[..., 0] < 80)
    assert red.sum() > 100
    assert not np.array_equal(img_a, img_b)
    # a result without any scored frame still plots (threshold, no-face x)
    c = plot_frame_scores(_result([None, None]), str(tmp_path / 'c.png'))
    assert cv2.imread(c).shape == (500, 800, 3)


def test_plot_roc_low_fpr_marks(tmp_path):
    from laanet.visualization import plot_roc
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    curves = dict(a=dict(scores=rng.normal(labels, 1.0), labels=labels))
    plain = cv2.imread(plot_roc(curves, str(tmp_path / 'roc.png')))
    low = cv2.imread(
        plot_roc(curves, str(tmp_path / 'low.png'), fpr_marks=(0.01, 0.05),
                 log_fpr=True))
    assert plain.shape == low.shape == (500, 800, 3)
    assert not np.array_equal(plain, low)
