# Copyright (c) laanet contributors. All rights reserved.
"""Binary detection metrics on numpy arrays (label 1 = fake = positive).

Every function takes ``scores`` (probabilities of *fake*, or any score
where higher means more fake) and ``labels`` (0/1). Ranking metrics (AUC,
AP, EER) return NaN with a warning when only one class is present, instead
of raising.
"""
import warnings
from typing import Dict, List, Sequence, Tuple

import numpy as np


def _check(scores, labels) -> Tuple[np.ndarray, np.ndarray]:
    """Validate and convert ``scores`` and ``labels``."""
    scores = np.asarray(scores, dtype=np.float64).reshape(-1)
    labels = np.asarray(labels).reshape(-1)
    if scores.shape != labels.shape:
        raise ValueError(f'{scores.size} scores but {labels.size} labels.')
    if not np.isin(labels, (0, 1)).all():
        raise ValueError('Labels must be 0 (real) or 1 (fake), but got '
                         f'{sorted(set(labels.tolist()))}.')
    if np.isnan(scores).any():
        raise ValueError('Scores contain NaN.')
    return scores, labels.astype(np.int64)


def _both_classes(labels: np.ndarray, name: str) -> bool:
    """Warn and return False when ``labels`` hold a single class."""
    if labels.size and labels.min() != labels.max():
        return True
    present = sorted(set(labels.tolist()))
    warnings.warn(f'{name} is undefined with only the classes {present} '
                  'present (need real and fake): returning NaN.')
    return False


def _counts_at_thresholds(
        scores: np.ndarray,
        labels: np.ndarray) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort by decreasing score and count at each distinct threshold.

    Returns:
        tuple: ``(thresholds, tps, num_predicted)``: the distinct scores in
        decreasing order, the true positives and the number of samples
        scored at or above each of them.
    """
    order = np.argsort(-scores, kind='mergesort')
    scores, labels = scores[order], labels[order]
    last = np.r_[np.flatnonzero(np.diff(scores)), scores.size - 1]
    return scores[last], np.cumsum(labels)[last], last + 1


def roc_curve(
        scores: Sequence[float],
        labels: Sequence[int]) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve, one point per distinct threshold (ties merged).

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        tuple: ``(fpr, tpr, thresholds)``, starting at (0, 0) with an
        infinite threshold.
    """
    scores, labels = _check(scores, labels)
    thresholds, tps, num_predicted = _counts_at_thresholds(scores, labels)
    fps = num_predicted - tps
    num_pos, num_neg = labels.sum(), labels.size - labels.sum()
    with np.errstate(invalid='ignore', divide='ignore'):
        tpr = np.r_[0.0, tps / num_pos]
        fpr = np.r_[0.0, fps / num_neg]
    return fpr, tpr, np.r_[np.inf, thresholds]


def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve (ties count one half).

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: AUC in [0, 1], NaN if one class is missing.
    """
    scores, labels = _check(scores, labels)
    if not _both_classes(labels, 'AUC'):
        return float('nan')
    fpr, tpr, _ = roc_curve(scores, labels)
    return float(np.trapezoid(tpr, fpr))


def average_precision(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Average precision, ``sum_n (R_n - R_{n-1}) P_n`` over thresholds
    (the step-wise definition scikit-learn uses, no interpolation).

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: AP in [0, 1], NaN if one class is missing.
    """
    scores, labels = _check(scores, labels)
    if not _both_classes(labels, 'AP'):
        return float('nan')
    _, tps, num_predicted = _counts_at_thresholds(scores, labels)
    precision = tps / num_predicted
    recall = tps / labels.sum()
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def equal_error_rate(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Equal error rate: the error where the false-positive rate equals
    the false-negative rate, linearly interpolated on the ROC curve.

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: EER in [0, 1], NaN if one class is missing.
    """
    scores, labels = _check(scores, labels)
    if not _both_classes(labels, 'EER'):
        return float('nan')
    fpr, tpr, _ = roc_curve(scores, labels)
    fnr = 1.0 - tpr
    diff = fnr - fpr  # decreasing from 1 to -1 along the curve
    i = int(np.flatnonzero(diff <= 0)[0])
    if diff[i] == 0 or i == 0:
        return float(fpr[i])
    # Crossing between points i-1 and i: interpolate.
    t = diff[i - 1] / (diff[i - 1] - diff[i])
    return float(fpr[i - 1] + t * (fpr[i] - fpr[i - 1]))


def accuracy(scores: Sequence[float],
             labels: Sequence[int],
             threshold: float = 0.5) -> float:
    """Accuracy of ``score >= threshold`` → fake.

    Args:
        scores (Sequence[float]): Probabilities of fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        threshold (float): Decision threshold. Defaults to 0.5.

    Returns:
        float: Accuracy in [0, 1] (NaN for no samples).
    """
    scores, labels = _check(scores, labels)
    if not labels.size:
        return float('nan')
    return float(np.mean((scores >= threshold).astype(np.int64) == labels))


def macro_recall(scores: Sequence[float],
                 labels: Sequence[int],
                 threshold: float = 0.5) -> float:
    """Mean over the present classes of their recall at ``threshold``
    (scikit-learn's ``recall_score(average='macro')``; the official code's
    "AR").

    Args:
        scores (Sequence[float]): Probabilities of fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        threshold (float): Decision threshold. Defaults to 0.5.

    Returns:
        float: Macro recall in [0, 1] (NaN for no samples).
    """
    scores, labels = _check(scores, labels)
    if not labels.size:
        return float('nan')
    preds = (scores >= threshold).astype(np.int64)
    recalls = [np.mean(preds[labels == c] == c) for c in np.unique(labels)]
    return float(np.mean(recalls))


def ap_ar_hmean(ap: float, ar: float) -> float:
    """Harmonic mean of AP and macro recall, ``2·AP·AR / (AP + AR)``.

    The official LAA-Net code reports this as "mF1"; it is not an F1
    score. Kept for comparison with the paper's tables.

    Args:
        ap (float): Average precision.
        ar (float): Macro-averaged recall.

    Returns:
        float: The harmonic mean (NaN if an input is NaN, 0 if both are 0).
    """
    if np.isnan(ap) or np.isnan(ar):
        return float('nan')
    if ap + ar == 0:
        return 0.0
    return float(2 * ap * ar / (ap + ar))


def binary_metrics(scores: Sequence[float],
                   labels: Sequence[int],
                   threshold: float = 0.5) -> Dict[str, float]:
    """All binary metrics at once.

    Args:
        scores (Sequence[float]): Probabilities of fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        threshold (float): Decision threshold of ``acc`` and ``recall``.
            Defaults to 0.5.

    Returns:
        dict: ``auc``, ``ap``, ``eer``, ``acc``, ``recall`` (macro) and
        ``ap_ar_hmean`` (the official "mF1"), all in [0, 1].
    """
    auc = roc_auc(scores, labels)
    ap = average_precision(scores, labels)
    ar = macro_recall(scores, labels, threshold)
    return dict(
        auc=auc,
        ap=ap,
        eer=equal_error_rate(scores, labels),
        acc=accuracy(scores, labels, threshold),
        recall=ar,
        ap_ar_hmean=ap_ar_hmean(ap, ar))


def percent(metrics: Dict[str, float], prefix: str = '') -> Dict[str, float]:
    """Metrics in percent, their names prefixed (``'video_'``...)."""
    return {f'{prefix}{k}': v * 100 for k, v in metrics.items()}


def breakdown_groups(values: Sequence,
                     labels: np.ndarray) -> Tuple[np.ndarray, List[str]]:
    """A per-sample breakdown (e.g. the manipulation method) as names
    (``''`` where unknown) and the sorted names that hold fakes.

    Args:
        values (Sequence): Per sample, a name or None.
        labels (np.ndarray): 0 = real, 1 = fake.

    Returns:
        tuple: The names array and the fake groups.
    """
    names = np.asarray(['' if v is None else str(v) for v in values])
    return names, sorted(set(names[labels == 1].tolist()) - {''})
