# Copyright (c) laanet contributors. All rights reserved.
"""Decision thresholds chosen on a labelled set: at the equal error rate,
or for a target false-positive rate on the reals.

A threshold ``t`` calls a sample fake when ``score >= t`` (the rule of
:func:`~.binary_metrics.accuracy`); thresholds are scores of the set (the
points of :func:`~.binary_metrics.roc_curve`, ties merged), so the rates
returned are exactly those of the set at that threshold.
"""
import math
from typing import Dict, Sequence

import numpy as np

from .binary_metrics import _check, roc_curve


def _need_both_classes(labels: np.ndarray) -> None:
    present = sorted(set(labels.tolist()))
    if present != [0, 1]:
        raise ValueError('choosing a threshold needs real and fake samples, '
                         f'but the set holds only the classes {present} '
                         '(0 = real, 1 = fake)')


def threshold_at_fpr(scores: Sequence[float], labels: Sequence[int],
                     target_fpr: float) -> Dict[str, float]:
    """The lowest threshold whose false-positive rate on the reals is at
    most ``target_fpr`` (the most sensitive one that keeps the budget).

    Args:
        scores (Sequence[float]): Scores (logits or P(fake)), higher =
            more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.
        target_fpr (float): In (0, 1).

    Returns:
        dict: ``threshold``, and ``fpr`` / ``tpr`` on this set at it.

    Raises:
        ValueError: With one class only, a target outside (0, 1), or too
            few reals to resolve the target (fewer than
            ``ceil(1 / target_fpr)``: not a single false positive would
            be allowed, so the threshold would be arbitrary).
    """
    scores, labels = _check(scores, labels)
    _need_both_classes(labels)
    if not 0 < target_fpr < 1:
        raise ValueError(f'target FPR must lie in (0, 1), got {target_fpr}')
    num_real = int((labels == 0).sum())
    needed = math.ceil(1 / target_fpr - 1e-9)
    if num_real < needed:
        raise ValueError(
            f'{num_real} real samples are too few for a target FPR of '
            f'{target_fpr:g}: at least {needed} are needed (one false '
            'positive among them), more for a stable threshold')
    fpr, tpr, thresholds = roc_curve(scores, labels)
    i = int(np.flatnonzero(fpr <= target_fpr + 1e-12)[-1])
    if i == 0:  # the top score alone has too many reals: above them all
        threshold = float(np.nextafter(thresholds[1], np.inf))
        return dict(threshold=threshold, fpr=0.0, tpr=0.0)
    return dict(threshold=float(thresholds[i]), fpr=float(fpr[i]),
                tpr=float(tpr[i]))


def threshold_at_eer(scores: Sequence[float],
                     labels: Sequence[int]) -> Dict[str, float]:
    """The threshold of the ROC point closest to the equal error rate
    (false-positive rate = false-negative rate).

    Of the two points around the crossing, the one with the smaller
    ``|FNR - FPR|`` (the lower threshold on a tie).

    Args:
        scores (Sequence[float]): Scores, higher = more fake.
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        dict: ``threshold``, ``fpr`` and ``tpr`` on this set at it.

    Raises:
        ValueError: With one class only.
    """
    scores, labels = _check(scores, labels)
    _need_both_classes(labels)
    fpr, tpr, thresholds = roc_curve(scores, labels)
    diff = (1.0 - tpr) - fpr  # from 1 down to -1
    i = int(np.flatnonzero(diff <= 0)[0])
    if i > 0 and abs(diff[i - 1]) < abs(diff[i]) and i - 1 > 0:
        i -= 1
    return dict(threshold=float(thresholds[i]), fpr=float(fpr[i]),
                tpr=float(tpr[i]))
