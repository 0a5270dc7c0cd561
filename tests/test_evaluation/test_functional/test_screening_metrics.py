# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest
from sklearn import metrics as skm

from laanet.evaluation.functional import (brier_score,
                                          expected_calibration_error,
                                          fpr_key, screening_metrics,
                                          tpr_at_fpr)


def _data(seed, n=400, ties=False):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    scores = np.clip(rng.normal(0.35 + 0.3 * labels, 0.2), 0, 1)
    if ties:
        scores = np.round(scores, 1)
    return scores, labels


def _tpr_by_threshold_sweep(scores, labels, target):
    """Every threshold t ("fake if score >= t"), counted directly."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    best = 0.0
    for t in np.r_[np.inf, np.unique(scores)]:
        if np.mean(neg >= t) <= target:
            best = max(best, np.mean(pos >= t))
    return best


@pytest.mark.parametrize('seed,ties', [(0, False), (1, True), (2, True)])
@pytest.mark.parametrize('target', [0.01, 0.05, 0.2])
def test_tpr_at_fpr_is_the_best_tpr_within_the_target(seed, ties, target):
    scores, labels = _data(seed, ties=ties)
    got = tpr_at_fpr(scores, labels, target)
    # the definition on scikit-learn's full ROC curve
    fpr, tpr, _ = skm.roc_curve(labels, scores, drop_intermediate=False)
    assert got == tpr[fpr <= target].max()
    assert got == _tpr_by_threshold_sweep(scores, labels, target)


def test_tpr_at_fpr_on_ties_by_hand():
    # 10 reals, 4 fakes. At t = 0.9: FPR 0, TPR 1/4. The tie at 0.8 holds
    # one real and two fakes: at t = 0.8, FPR 1/10, TPR 3/4; no threshold
    # separates the tie, so at FPR 5 % the TPR stays 1/4 (the thinned ROC
    # or an interpolation would give more).
    scores = [0.9, 0.8, 0.8, 0.8, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2,
              0.3, 0.05]
    labels = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert tpr_at_fpr(scores, labels, 0.05) == 0.25
    assert tpr_at_fpr(scores, labels, 0.1) == 0.75
    assert tpr_at_fpr(scores, labels, 0.15) == 0.75
    # FPR exactly at the target counts
    assert tpr_at_fpr(scores, labels, 0.2) == 0.75


def test_tpr_at_fpr_keeps_collinear_points():
    # 25 reals, 5 fakes; a real and a fake tied at each of 0.9, 0.85 and
    # 0.8: ROC points (.04, .2), (.08, .4), (.12, .6) lie on a line, and
    # scikit-learn's default (thinned) curve drops the middle one
    scores = np.r_[0.9, 0.9, 0.85, 0.85, 0.8, 0.8, 0.7, 0.7,
                   np.full(22, 0.1)]
    labels = np.r_[1, 0, 1, 0, 1, 0, 1, 1, np.zeros(22, int)]
    fpr, tpr, _ = skm.roc_curve(labels, scores)
    assert tpr[fpr <= 0.1].max() == 0.2
    assert tpr_at_fpr(scores, labels, 0.1) == 0.4


def test_tpr_at_fpr_warnings_and_nan():
    with pytest.warns(UserWarning, match='only 10 real samples'):
        assert tpr_at_fpr([.1] * 10 + [.9], [0] * 10 + [1], 0.05) == 1.0
    with pytest.warns(UserWarning, match='undefined'):
        assert np.isnan(tpr_at_fpr([.2, .3], [1, 1], 0.05))
    with pytest.raises(ValueError, match=r'\(0, 1\)'):
        tpr_at_fpr([.2, .3], [0, 1], 5)


def test_fpr_key():
    assert fpr_key(0.01) == 'tpr_at_fpr1'
    assert fpr_key(0.05) == 'tpr_at_fpr5'
    assert fpr_key(0.005) == 'tpr_at_fpr0.5'


def _ece_by_hand(probs, labels, bins=10):
    idx = np.minimum((probs * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            total += sel.sum() * abs(probs[sel].mean() - labels[sel].mean())
    return total / probs.size


def test_ece_and_brier_against_direct_computation():
    rng = np.random.default_rng(3)
    # away from the bin edges, where the bin of a value is unambiguous
    probs = np.clip(rng.uniform(0, 1, 500), 0.001, 0.999)
    probs = probs[np.abs(probs * 10 - np.round(probs * 10)) > 1e-6]
    labels = (rng.uniform(size=probs.size) < probs**1.5).astype(int)
    assert expected_calibration_error(probs, labels) == pytest.approx(
        _ece_by_hand(probs, labels), abs=1e-12)
    assert expected_calibration_error(probs, labels, bins=5) == pytest.approx(
        _ece_by_hand(probs, labels, 5), abs=1e-12)
    assert brier_score(probs, labels) == pytest.approx(
        np.mean((probs - labels)**2), abs=1e-15)
    # a calibrated predictor on its own outcomes: small ECE; a shifted
    # one: large
    calibrated = (rng.uniform(size=probs.size) < probs).astype(int)
    assert expected_calibration_error(probs, calibrated) < 0.06
    assert expected_calibration_error(probs**4, calibrated) > 0.15


def test_ece_edges_and_ties():
    # 0 and 1 fall in the first and last bins; tied values share a bin
    probs = np.array([0., 0., 1., 1., 0.55, 0.55, 0.55, 0.55])
    labels = np.array([0, 1, 1, 1, 1, 1, 0, 0])
    # bins: [0, .1): 0.5 fakes vs p 0 -> 0.5 x 2; [.9, 1]: 1 vs 1 -> 0;
    # [.5, .6): 0.5 vs 0.55 -> 0.05 x 4
    want = (2 * 0.5 + 4 * 0.05) / 8
    assert expected_calibration_error(probs, labels) == pytest.approx(
        want, abs=1e-9)
    assert expected_calibration_error(
        probs.astype(np.float32), labels) == pytest.approx(want, abs=1e-7)
    with pytest.raises(ValueError, match=r'probabilities in \[0, 1\]'):
        expected_calibration_error([1.5, 0.2], [1, 0])
    with pytest.raises(ValueError, match=r'probabilities in \[0, 1\]'):
        brier_score([-0.1], [0])
    assert np.isnan(brier_score([], []))


def test_screening_metrics_ranks_by_rank_scores():
    # saturated probabilities tie; the logits rank them
    logits = np.array([17., 18., 19., 20., -3., -4.])
    probs = np.ones(6)
    probs[4:] = 0.0
    labels = np.array([0, 1, 0, 1, 0, 0])
    out = screening_metrics(logits, probs, labels, fpr_targets=(0.2, ))
    assert out['tpr_at_fpr20'] == 0.5
    assert screening_metrics(probs, probs, labels,
                             fpr_targets=(0.2, ))['tpr_at_fpr20'] == 0.0
    assert out['brier'] == pytest.approx(2 / 6)
    assert set(out) == {'tpr_at_fpr20', 'ece', 'brier'}
