# Copyright (c) laanet contributors. All rights reserved.
"""The verdict of one scored input, calibrated or said to be not."""
from typing import Optional, Sequence

from .calibration import Calibration, uncalibrated_verdict
from .fitting import video_rule_logit


def input_verdict(score: float,
                  frame_logits: Sequence[float],
                  mode: str,
                  kind: str,
                  threshold: float,
                  calibration: Optional[Calibration] = None,
                  operating_point: Optional[str] = None) -> dict:
    """Score, label, threshold and ``calibration`` of an input.

    Args:
        score (float): The raw P(fake) of the input (the metric's rule).
        frame_logits (Sequence[float]): The logits of its scored frames.
        mode (str): The rule that made ``score`` (``'logit_mean'`` or
            ``'prob_mean'``).
        kind (str): ``'video'`` (the video level of the calibration) or
            ``'image'`` (the frame level).
        threshold (float): The config's threshold, used uncalibrated.
        calibration (Calibration, optional): The model's calibration.
        operating_point (str, optional): Its point to use; the file's
            default when None.

    Returns:
        dict: ``score``, ``label``, ``threshold`` and ``calibration``
        (:meth:`Calibration.verdict` or
        :func:`~.calibration.uncalibrated_verdict`), scores rounded to 6
        decimals.
    """
    if calibration is None:
        out = uncalibrated_verdict(score, threshold)
    else:
        level = 'video' if kind == 'video' else 'frame'
        if len(frame_logits) == 1:
            logit = float(frame_logits[0])
        else:
            logit = video_rule_logit(score,
                                     sum(frame_logits) / len(frame_logits),
                                     mode)
        out = calibration.verdict(logit, level, operating_point)
        out['calibration']['raw_score'] = round(score, 6)
    out['score'] = round(out['score'], 6)
    return out


def calibration_text(result: dict) -> str:
    """One sentence on how a result's verdict was made: the operating
    point and the set of its calibration, or that the threshold is
    uncalibrated.

    Args:
        result (dict): A result of
            :class:`~laanet.apis.DeepfakeInferencer` with a score.

    Returns:
        str: E.g. ``calibrated on ffpp:val (1400 frames, 140 videos;
        2026-12-04), operating point fpr@0.05 (FPR 5.0 %, TPR 81.3 % there)``
        or ``uncalibrated threshold``.
    """
    info = result.get('calibration') or {}
    if not info.get('calibrated'):
        return 'uncalibrated threshold'
    text = (f'calibrated on {info["fitted_on"]}, operating point '
            f'{info["operating_point"]}')
    if info.get('operating_point_fpr') is not None:
        text += (f' (FPR {100 * info["operating_point_fpr"]:.1f} %, TPR '
                 f'{100 * info["operating_point_tpr"]:.1f} % there)')
    return text
