# Copyright (c) laanet contributors. All rights reserved.
"""Metrics a screening use reads: TPR at a low FPR, calibration errors.

Owns the definitions of ``tpr_at_fpr<X>`` (the true-positive rate at a
target false-positive rate), ``ece`` (expected calibration error) and
``brier`` (Brier score) that :class:`~laanet.evaluation.DeepfakeMetric`
reports at frame and video level. The ROC curve is
:func:`~.binary_metrics.roc_curve`, the Brier score scikit-learn's, the
ECE netcal's.
"""
import warnings
from typing import Dict, Sequence

from .binary_metrics import _both_classes, _check, roc_curve

#: The false-positive rates of the default ``tpr_at_fpr<X>`` metrics.
DEFAULT_FPR_TARGETS = (0.01, 0.05)


def fpr_key(target: float) -> str:
    """The metric name of the TPR at FPR ``target``: ``tpr_at_fpr1`` for
    0.01, ``tpr_at_fpr0.5`` for 0.005.

    Args:
        target (float): The false-positive rate, in (0, 1).

    Returns:
        str: The name (the rate in percent, shortest form).
    """
    return f'tpr_at_fpr{100 * target:g}'


def check_fpr_targets(targets: Sequence[float]) -> tuple:
    """Validate the target false-positive rates.

    Args:
        targets (Sequence[float]): Rates in (0, 1).

    Returns:
        tuple: The rates as floats.

    Raises:
        ValueError: If a rate is outside (0, 1).
    """
    targets = tuple(float(t) for t in targets)
    bad = [t for t in targets if not 0 < t < 1]
    if bad:
        raise ValueError('Target false-positive rates must lie in (0, 1), '
                         f'but got {bad} (0.01 means 1 %).')
    return targets


def tpr_at_fpr(scores: Sequence[float], labels: Sequence[int],
               target: float) -> float:
    """The true-positive rate at a target false-positive rate.

    Defined as the largest TPR among the points of the full ROC curve
    (:func:`~.binary_metrics.roc_curve`, one point per distinct score: the
    points of scikit-learn's ``roc_curve`` with
    ``drop_intermediate=False``) whose FPR is at most ``target``: the TPR
    of the lowest threshold ``t`` for which "fake if score >= t" keeps the
    FPR within ``target``. Tied scores form one point (no interpolation
    inside a tie), so the value is always achieved by a threshold. With
    fewer than ``1 / target`` real samples the only such FPR is 0; a
    warning then says so.

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        target (float): The false-positive rate, in (0, 1).

    Returns:
        float: The TPR in [0, 1]; NaN (with a warning) if one class is
        missing.
    """
    scores, labels = _check(scores, labels)
    (target, ) = check_fpr_targets([target])
    if not _both_classes(labels, f'TPR at FPR {100 * target:g} %'):
        return float('nan')
    num_neg = int((labels == 0).sum())
    if num_neg * target < 1:
        warnings.warn(f'TPR at FPR {100 * target:g} %: only {num_neg} real '
                      'samples, so the only FPR within the target is 0; '
                      'the value is the TPR at FPR 0.')
    fpr, tpr, _ = roc_curve(scores, labels)
    return float(tpr[fpr <= target].max())


def expected_calibration_error(probs: Sequence[float],
                               labels: Sequence[int],
                               bins: int = 10) -> float:
    """Expected calibration error of P(fake).

    netcal's binary ECE (``netcal.metrics.ECE``): the probabilities,
    clipped to ``[eps, 1 - eps]`` (float64 eps), go into ``bins``
    equal-width bins of [0, 1] (each ``[lo, hi)``, the last one closed);
    the ECE is the sample-weighted mean over the non-empty bins of
    ``|mean P(fake) - fraction of fakes|``.

    Args:
        probs (Sequence[float]): Probabilities of fake, in [0, 1].
        labels (Sequence[int]): 0 = real, 1 = fake.
        bins (int): Number of bins. Defaults to 10.

    Returns:
        float: The ECE in [0, 1] (NaN for no samples).

    Raises:
        ValueError: If a probability lies outside [0, 1].
    """
    probs, labels = _check_probabilities(probs, labels)
    if not labels.size:
        return float('nan')
    from netcal.metrics import ECE

    # float64: netcal's bin edges and clipping follow the input dtype
    return float(ECE(bins=int(bins)).measure(probs, labels))


def brier_score(probs: Sequence[float], labels: Sequence[int]) -> float:
    """Brier score of P(fake): the mean of ``(P(fake) - label)²``
    (scikit-learn's ``brier_score_loss``).

    Args:
        probs (Sequence[float]): Probabilities of fake, in [0, 1].
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: The score in [0, 1], lower is better (NaN for no samples).

    Raises:
        ValueError: If a probability lies outside [0, 1].
    """
    from sklearn.metrics import brier_score_loss
    probs, labels = _check_probabilities(probs, labels)
    if not labels.size:
        return float('nan')
    return float(brier_score_loss(labels, probs, pos_label=1))


def _check_probabilities(probs, labels) -> tuple:
    """:func:`_check`, and probabilities in [0, 1]."""
    probs, labels = _check(probs, labels)
    if probs.size and (probs.min() < 0 or probs.max() > 1):
        raise ValueError('Calibration metrics need probabilities in [0, 1], '
                         f'but got values in [{probs.min()}, {probs.max()}].')
    return probs, labels


def screening_metrics(rank_scores: Sequence[float],
                      probs: Sequence[float],
                      labels: Sequence[int],
                      fpr_targets: Sequence[float] = DEFAULT_FPR_TARGETS,
                      ece_bins: int = 10) -> Dict[str, float]:
    """TPR at each target FPR, ECE and Brier score at once.

    Args:
        rank_scores (Sequence[float]): What ranks the samples (the
            probabilities, or the logits where they avoid float32
            saturation).
        probs (Sequence[float]): Probabilities of fake (for ECE, Brier).
        labels (Sequence[int]): 0 = real, 1 = fake.
        fpr_targets (Sequence[float]): False-positive rates in (0, 1).
            Defaults to 1 % and 5 %.
        ece_bins (int): Bins of the ECE. Defaults to 10.

    Returns:
        dict: ``tpr_at_fpr<X>`` per target (:func:`fpr_key`), ``ece`` and
        ``brier``, all in [0, 1].
    """
    out = {
        fpr_key(t): tpr_at_fpr(rank_scores, labels, t)
        for t in check_fpr_targets(fpr_targets)
    }
    out['ece'] = expected_calibration_error(probs, labels, ece_bins)
    out['brier'] = brier_score(probs, labels)
    return out
