# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest
from scipy.interpolate import interp1d
from scipy.optimize import brentq
from sklearn import metrics as skm

from laanet.evaluation.functional import (accuracy, ap_ar_hmean,
                                          average_precision, binary_metrics,
                                          equal_error_rate, macro_recall,
                                          roc_auc, roc_curve)


def _data(seed, n=200, ties=False):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    scores = np.clip(rng.normal(0.35 + 0.3 * labels, 0.2), 0, 1)
    if ties:
        scores = np.round(scores, 1)
    return scores, labels


@pytest.mark.parametrize('seed,ties', [(0, False), (1, True), (2, True)])
def test_against_sklearn(seed, ties):
    scores, labels = _data(seed, ties=ties)
    assert roc_auc(scores, labels) == pytest.approx(
        skm.roc_auc_score(labels, scores), abs=1e-12)
    assert average_precision(scores, labels) == pytest.approx(
        skm.average_precision_score(labels, scores), abs=1e-12)
    assert accuracy(scores, labels) == pytest.approx(
        skm.accuracy_score(labels, scores >= 0.5))
    assert macro_recall(scores, labels) == pytest.approx(
        skm.recall_score(labels, scores >= 0.5, average='macro'))
    fpr, tpr, thr = roc_curve(scores, labels)
    sk_fpr, sk_tpr, _ = skm.roc_curve(labels, scores, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    # EER: the usual brentq definition on the interpolated ROC curve.
    expected = brentq(lambda x: 1. - x - interp1d(sk_fpr, sk_tpr)(x), 0., 1.)
    assert equal_error_rate(scores, labels) == pytest.approx(
        expected, abs=1e-6)


def test_known_values():
    scores = [0.1, 0.4, 0.35, 0.8]
    labels = [0, 0, 1, 1]
    assert roc_auc(scores, labels) == 0.75
    assert equal_error_rate(scores, labels) == 0.5
    assert equal_error_rate([0.1, 0.2, 0.8, 0.9], labels) == 0.0
    assert equal_error_rate([0.9, 0.8, 0.2, 0.1], labels) == 1.0
    assert ap_ar_hmean(0.5, 1.0) == pytest.approx(2 / 3)
    assert ap_ar_hmean(0.0, 0.0) == 0.0


def test_single_class_gives_nan_with_warning():
    with pytest.warns(UserWarning, match='only the classes \\[1\\]'):
        assert np.isnan(roc_auc([0.2, 0.9], [1, 1]))
    with pytest.warns(UserWarning):
        out = binary_metrics([0.2, 0.9], [0, 0])
    assert np.isnan(out['auc']) and np.isnan(out['ap'])
    assert np.isnan(out['eer']) and np.isnan(out['ap_ar_hmean'])
    assert out['acc'] == 0.5 and out['recall'] == 0.5


def test_bad_input():
    with pytest.raises(ValueError, match='2 labels'):
        roc_auc([0.1], [0, 1])
    with pytest.raises(ValueError, match='0 \\(real\\) or 1'):
        roc_auc([0.1, 0.2], [0, 2])
    with pytest.raises(ValueError, match='NaN'):
        roc_auc([float('nan'), 0.2], [0, 1])
