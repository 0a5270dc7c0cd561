# Copyright (c) laanet contributors. All rights reserved.
"""Fit a :class:`~.Calibration` on the logits of a labelled set.

The temperature is fitted by netcal's ``TemperatureScaling`` (maximum
likelihood, scipy's L-BFGS-B on the binary cross entropy). netcal takes
P(fake), not logits: it recovers the logits itself (its inverse sigmoid,
exact in float64 for ``|logit| < 36``) and fits the multiplier ``w`` of
``sigmoid(w · logit)``, which it calls ``temperature``; the usual
temperature is ``T = 1 / w``.
"""
import datetime
from typing import Dict, Optional, Sequence

import numpy as np

from ..functional import DEFAULT_FPR_TARGETS as DEFAULT_TARGET_FPRS
from ..functional import (binary_nll, expected_calibration_error, logit,
                          roc_auc, sigmoid, threshold_at_eer, threshold_at_fpr)
from .calibration import Calibration
from .calibration_error import CalibrationError

#: ``method`` of the calibrations :func:`fit_calibration` makes.
METHOD = ('temperature scaling (netcal TemperatureScaling, maximum '
          'likelihood) per level; thresholds on the ROC curve of the set')


def fit_temperature(logits: Sequence[float], labels: Sequence[int]) -> float:
    """The temperature ``T`` minimising the NLL of ``sigmoid(logit / T)``.

    Args:
        logits (Sequence[float]): Logits of P(fake).
        labels (Sequence[int]): 0 = real, 1 = fake (both present).

    Returns:
        float: ``T > 0``.

    Raises:
        CalibrationError: For one class only, or a fit that does not give
            a positive temperature (logits that rank fakes below reals).
    """
    from netcal.scaling import TemperatureScaling
    logits = np.asarray(logits, dtype=np.float64).reshape(-1)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    if len(set(labels.tolist())) < 2:
        raise CalibrationError(
            'temperature scaling needs real and fake samples, got only '
            f'the classes {sorted(set(labels.tolist()))}')
    scaler = TemperatureScaling(method='mle')
    scaler.fit(sigmoid(logits), labels, tensorboard=False)
    weight = float(np.asarray(scaler.temperature).reshape(-1)[0])
    if not np.isfinite(weight) or weight <= 0:
        raise CalibrationError(
            f'temperature scaling gave the logit multiplier {weight}: the '
            'scores do not rank fakes above reals on this set')
    return 1.0 / weight


def video_rule_logit(score: float, mean_logit: float, mode: str) -> float:
    """The logit of a video's P(fake) under the metric's rule: the mean
    frame logit (``'logit_mean'``) or the logit of the mean frame
    probability (``'prob_mean'``)."""
    if mode == 'logit_mean':
        return float(mean_logit)
    return float(logit(score, eps=1e-15))


def fit_level(logits: Sequence[float],
              labels: Sequence[int],
              target_fprs: Sequence[float] = DEFAULT_TARGET_FPRS,
              name: str = 'frame') -> dict:
    """Temperature, operating points and before/after numbers of a level.

    Args:
        logits (Sequence[float]): Logits of P(fake).
        labels (Sequence[int]): 0 = real, 1 = fake.
        target_fprs (Sequence[float]): Target FPRs on the reals.
        name (str): The level, for errors. Defaults to ``'frame'``.

    Returns:
        dict: ``temperature``, ``operating_points`` (``'eer'`` and
        ``'fpr@<t>'``: ``logit``, calibrated ``probability``, ``fpr``,
        ``tpr`` on the set) and ``stats`` (counts, AUC, NLL and ECE before
        and after).

    Raises:
        CalibrationError: For a set with one class, or too few reals for
            a target FPR.
    """
    logits = np.asarray(logits, dtype=np.float64).reshape(-1)
    labels = np.asarray(labels, dtype=np.int64).reshape(-1)
    num_real = int((labels == 0).sum())
    num_fake = int((labels == 1).sum())
    if num_real == 0 or num_fake == 0:
        raise CalibrationError(
            f'{name} level: the set holds {num_real} real and {num_fake} '
            'fake samples; a calibration needs both classes')
    try:
        temperature = fit_temperature(logits, labels)
        raw = dict(eer=threshold_at_eer(logits, labels))
        for target in target_fprs:
            raw[f'fpr@{target:g}'] = threshold_at_fpr(logits, labels, target)
    except ValueError as err:
        raise CalibrationError(f'{name} level: {err}') from err
    points = {
        key: dict(
            logit=p['threshold'],
            probability=float(sigmoid(p['threshold'] / temperature)),
            fpr=p['fpr'],
            tpr=p['tpr'])
        for key, p in raw.items()
    }
    before, after = sigmoid(logits), sigmoid(logits / temperature)
    stats = dict(
        samples=int(labels.size),
        real=num_real,
        fake=num_fake,
        auc=roc_auc(logits, labels),
        nll_before=binary_nll(logits, labels),
        nll_after=binary_nll(logits / temperature, labels),
        ece_before=expected_calibration_error(before, labels),
        ece_after=expected_calibration_error(after, labels))
    return dict(temperature=temperature, operating_points=points,
                stats=stats)


def fit_calibration(frame_logits: Sequence[float],
                    frame_labels: Sequence[int],
                    video_logits: Sequence[float],
                    video_labels: Sequence[int],
                    model: dict,
                    fitted_on: dict,
                    target_fprs: Sequence[float] = DEFAULT_TARGET_FPRS,
                    default_operating_point: str = 'eer',
                    created: Optional[str] = None) -> Calibration:
    """Fit both levels and make the :class:`~.Calibration`.

    Args:
        frame_logits, frame_labels: Per frame (one face each).
        video_logits, video_labels: Per video, the video logit of the
            metric's rule (:func:`video_rule_logit`).
        model (dict): See :class:`~.Calibration`.
        fitted_on (dict): See :class:`~.Calibration`; the counts are
            added.
        target_fprs (Sequence[float]): Defaults to 1 % and 5 %.
        default_operating_point (str): ``'eer'`` or ``'fpr@<t>'``.
            Defaults to ``'eer'``.
        created (str, optional): ISO date; now (UTC) by default.

    Returns:
        Calibration: The fitted calibration.

    Raises:
        CalibrationError: See :func:`fit_level`, or an unknown default
            point.
    """
    levels: Dict[str, dict] = dict(
        frame=fit_level(frame_logits, frame_labels, target_fprs, 'frame'),
        video=fit_level(video_logits, video_labels, target_fprs, 'video'))
    fitted_on = dict(
        fitted_on,
        frames=levels['frame']['stats']['samples'],
        videos=levels['video']['stats']['samples'])
    created = created or datetime.datetime.now(
        datetime.timezone.utc).isoformat(timespec='seconds')
    return Calibration(
        levels=levels,
        model=model,
        fitted_on=fitted_on,
        created=created,
        default_operating_point=default_operating_point,
        method=METHOD,
        source=f'<fitted on {fitted_on.get("name")}>')
