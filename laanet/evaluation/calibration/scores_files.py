# Copyright (c) laanet contributors. All rights reserved.
"""Calibrations and the scores files of ``tools/test.py --out`` (JSON:
``frames``, ``videos`` and ``video_score`` of
:class:`~laanet.evaluation.DeepfakeMetric`): the logits to fit on, and the
calibrated scores and verdicts of a tested set."""
from typing import Dict, Optional

import numpy as np

from ..functional import (binary_nll, expected_calibration_error, logit,
                          sigmoid)
from ..metrics.scores_file import load_scores_json
from .calibration import Calibration
from .fitting import video_rule_logit


def read_scores_json(path: str) -> dict:
    """A JSON scores file of ``tools/test.py --out`` with ``frames`` and
    ``videos`` (:func:`~..metrics.scores_file.load_scores_json`).

    Raises:
        ValueError: If it is not one (a ``.csv`` file, or no ``frames`` /
            ``videos``), naming the file.
    """
    return load_scores_json(path, 'calibration')


def level_logits(payload: dict) -> Dict[str, Dict[str, np.ndarray]]:
    """Per level, the ``logits`` of P(fake) and the ``labels``.

    Frames without a stored logit get the logit of their score; videos get
    the logit of the file's ``video_score`` rule.

    Args:
        payload (dict): :func:`read_scores_json`'s content.

    Returns:
        dict: ``{'frame': {'logits', 'labels'}, 'video': {...}}``.
    """
    mode = payload.get('video_score', 'logit_mean')
    frames, videos = payload['frames'], payload['videos']
    return dict(
        frame=dict(
            logits=np.array([
                float(logit(r['score'], eps=1e-15))
                if r.get('logit') is None else float(r['logit'])
                for r in frames
            ], dtype=np.float64),
            labels=np.array([int(r['label']) for r in frames],
                            dtype=np.int64)),
        video=dict(
            logits=np.array([
                video_rule_logit(v['score'], v['logit'], mode) for v in videos
            ], dtype=np.float64),
            labels=np.array([int(v['label']) for v in videos],
                            dtype=np.int64)))


def calibrate_scores(calibration: Calibration,
                     payload: dict,
                     operating_point: Optional[str] = None) -> dict:
    """Apply a calibration to a tested set: calibrated P(fake), verdicts and
    the rates at the operating point.

    Args:
        calibration (Calibration): The calibration.
        payload (dict): :func:`read_scores_json`'s content.
        operating_point (str, optional): Defaults to the calibration's.

    Returns:
        dict: ``calibration`` (file, set it was fitted on, point),
        ``summary`` per level (``samples``, ``fpr``, ``tpr``, ``acc`` at
        the point, ``nll`` and ``ece`` after calibration; NaN rates for a
        class that is absent) and ``frames`` / ``videos``: the input rows
        with ``calibrated_score`` and ``calibrated_label`` added.
    """
    data = level_logits(payload)
    out = dict(
        calibration=dict(
            file=calibration.source,
            fitted_on=calibration.fitted_on_text(),
            operating_point=calibration.operating_point(
                'frame', operating_point)['name']),
        summary={})
    for level, rows_key in (('frame', 'frames'), ('video', 'videos')):
        logits, labels = data[level]['logits'], data[level]['labels']
        point = calibration.operating_point(level, operating_point)
        probs = calibration.probability(logits, level)
        fake = logits >= point['logit']
        rows = []
        for row, p, f in zip(payload[rows_key], probs, fake):
            rows.append(
                dict(row, calibrated_score=float(p),
                     calibrated_label='fake' if f else 'real'))
        out[rows_key] = rows
        with np.errstate(invalid='ignore'):
            out['summary'][level] = dict(
                samples=int(labels.size),
                threshold=float(point['probability']),
                fpr=float(fake[labels == 0].mean())
                if (labels == 0).any() else float('nan'),
                tpr=float(fake[labels == 1].mean())
                if (labels == 1).any() else float('nan'),
                acc=float((fake == (labels == 1)).mean()),
                nll=binary_nll(logits / calibration.temperature(level),
                               labels),
                ece=expected_calibration_error(probs, labels),
                raw_nll=binary_nll(logits, labels),
                raw_ece=expected_calibration_error(sigmoid(logits), labels))
    return out


def write_calibrated_scores(calibration: Calibration, scores_file: str,
                            out_file: str,
                            operating_point: Optional[str] = None) -> dict:
    """:func:`calibrate_scores` of a scores file, written as JSON.

    Args:
        calibration (Calibration): The calibration.
        scores_file (str): A JSON scores file of ``tools/test.py --out``.
        out_file (str): The ``.json`` to write.
        operating_point (str, optional): Defaults to the calibration's.

    Returns:
        dict: What was written.
    """
    from laanet.utils.media import atomic_dump_json
    out = calibrate_scores(calibration, read_scores_json(scores_file),
                           operating_point)
    atomic_dump_json(out, out_file, indent=1)
    return out


def summary_lines(out: dict) -> list:
    """Log lines of :func:`calibrate_scores`' ``summary``."""
    info = out['calibration']
    lines = [f'calibration {info["file"]} (fitted on {info["fitted_on"]}), '
             f'operating point {info["operating_point"]}:']
    for level, s in out['summary'].items():
        lines.append(
            f'  {level}: {s["samples"]} samples, threshold P(fake) >= '
            f'{s["threshold"]:.4f}: FPR {100 * s["fpr"]:.2f} %, TPR '
            f'{100 * s["tpr"]:.2f} %, ACC {100 * s["acc"]:.2f} %; NLL '
            f'{s["raw_nll"]:.4f} -> {s["nll"]:.4f}, ECE '
            f'{100 * s["raw_ece"]:.2f} % -> {100 * s["ece"]:.2f} %')
    return lines
