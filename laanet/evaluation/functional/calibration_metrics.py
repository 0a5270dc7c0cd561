# Copyright (c) laanet contributors. All rights reserved.
"""How well P(fake) matches the observed frequency of fakes.

Binary calibration of the *positive class* (label 1 = fake): the scores are
P(fake), not the confidence of the predicted class. Used by the calibration
tool (``tools/analysis_tools/calibrate.py``) and its reliability diagram;
the ECE itself is :func:`~.screening_metrics.expected_calibration_error`
(netcal's).
"""
from typing import Dict, Sequence

import numpy as np

from .binary_metrics import _check
from .screening_metrics import _check_probabilities


def reliability_bins(scores: Sequence[float],
                     labels: Sequence[int],
                     num_bins: int = 10) -> Dict[str, np.ndarray]:
    """Equal-width bins of P(fake) with their observed fraction of fakes.

    Args:
        scores (Sequence[float]): P(fake) in [0, 1].
        labels (Sequence[int]): 0 = real, 1 = fake.
        num_bins (int): Bins over [0, 1]; a score of 1 falls in the last.
            Defaults to 10, the bins of
            :func:`~.screening_metrics.expected_calibration_error`.

    Returns:
        dict: ``edges`` (num_bins + 1), and per bin ``count``,
        ``mean_score`` and ``fake_fraction`` (NaN for an empty bin).

    Raises:
        ValueError: For scores outside [0, 1] or ``num_bins < 1``.
    """
    if num_bins < 1:
        raise ValueError(f'num_bins must be >= 1, got {num_bins}')
    scores, labels = _check_probabilities(scores, labels)
    edges = np.linspace(0.0, 1.0, num_bins + 1)
    index = np.clip(np.digitize(scores, edges[1:-1], right=False), 0,
                    num_bins - 1)
    count = np.bincount(index, minlength=num_bins).astype(np.float64)
    with np.errstate(invalid='ignore', divide='ignore'):
        mean_score = np.bincount(index, scores, num_bins) / count
        fake_fraction = np.bincount(index, labels, num_bins) / count
    return dict(edges=edges, count=count, mean_score=mean_score,
                fake_fraction=fake_fraction)


def binary_nll(logits: Sequence[float], labels: Sequence[int]) -> float:
    """Mean negative log-likelihood of the labels under
    ``P(fake) = sigmoid(logit)`` (binary cross entropy, stable for any
    logit).

    Args:
        logits (Sequence[float]): Logits of P(fake).
        labels (Sequence[int]): 0 = real, 1 = fake.

    Returns:
        float: The mean NLL in nats; NaN without samples.
    """
    logits, labels = _check(logits, labels)
    if logits.size == 0:
        return float('nan')
    # -log sigmoid(z) = log(1 + e^-z); -log(1 - sigmoid(z)) = log(1 + e^z)
    signed = np.where(labels == 1, -logits, logits)
    return float(np.mean(np.logaddexp(0.0, signed)))
