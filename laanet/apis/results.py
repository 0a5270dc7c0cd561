# Copyright (c) laanet contributors. All rights reserved.
"""The result of one inference input: its JSON-ready dict.

Owns the result format of :class:`~laanet.apis.DeepfakeInferencer`
(``file``, ``type``, ``score``, ``label``, ``threshold``, ``frames``,
``no_face_frames``, ``num_frames``, ``score_rule``, ``reason``,
``error``, ``warnings``, ``calibration``) and its assembly from the
predicted data samples of the faces (kept until here), with the score rules of
:mod:`laanet.evaluation.functional.video_scores` and the settings of the
config's :class:`~laanet.evaluation.DeepfakeMetric`.
"""
from typing import List, Optional, Sequence, Tuple

from mmengine.config import Config

from laanet.evaluation.calibration import Calibration, input_verdict
from laanet.evaluation.functional import score_video, select_frame_face


#: ``DeepfakeMetric``'s defaults, for a config without one.
METRIC_DEFAULTS = dict(
    threshold=0.5, video_score='logit_mean', min_face_area_ratio=0.5)


def metric_settings(cfg: Config,
                    min_face_area_ratio: Optional[float] = None) -> dict:
    """Threshold, video rule and face-size rule of the config's
    ``DeepfakeMetric``.

    Inference scores and labels inputs as the test set is evaluated: the
    first ``DeepfakeMetric`` of ``test_evaluator`` (else
    ``val_evaluator``) gives ``threshold``, ``video_score`` and
    ``min_face_area_ratio``; what it leaves out, and a config without
    one, get the metric's defaults (:data:`METRIC_DEFAULTS`).

    Args:
        cfg (Config): The model's config.
        min_face_area_ratio (float, optional): Overrides the metric's.

    Returns:
        dict: ``threshold``, ``video_score`` and ``min_face_area_ratio``.

    Raises:
        ValueError: For an unknown ``video_score`` or a ratio outside
            [0, 1].
    """
    settings = dict(METRIC_DEFAULTS)
    evaluator = cfg.get('test_evaluator', cfg.get('val_evaluator'))
    evaluators = evaluator if isinstance(evaluator,
                                         (list, tuple)) else [evaluator]
    for ev in evaluators:
        if isinstance(ev, dict) and 'DeepfakeMetric' in str(ev.get('type')):
            for key, default in METRIC_DEFAULTS.items():
                settings[key] = ev.get(key, default)
            settings['threshold'] = float(settings['threshold'])
            break
    if min_face_area_ratio is not None:
        settings['min_face_area_ratio'] = min_face_area_ratio
    settings['min_face_area_ratio'] = float(settings['min_face_area_ratio'])
    if not 0 <= settings['min_face_area_ratio'] <= 1:
        raise ValueError('min_face_area_ratio must lie in [0, 1], got '
                         f'{settings["min_face_area_ratio"]}')
    if settings['video_score'] not in ('logit_mean', 'prob_mean'):
        raise ValueError(f'Unknown video_score {settings["video_score"]!r} '
                         'in the test evaluator')
    return settings


def empty_result(file: str, kind: Optional[str], threshold: float) -> dict:
    """A result with no score (yet).

    Args:
        file (str): The input.
        kind (str, optional): ``'image'``, ``'video'`` or None.
        threshold (float): The decision threshold.

    Returns:
        dict: Every key of the result format.
    """
    return dict(
        file=file,
        type=kind,
        score=None,
        label=None,
        threshold=threshold,
        frames=[],
        no_face_frames=[],
        num_frames=0,
        score_rule=None,
        reason=None,
        error=None,
        warnings=[],
        calibration=None)


def error_result(file: str, error: str, threshold: float) -> dict:
    """The result of an input that could not be read or scored.

    Args:
        file (str): The input.
        error (str): What went wrong, naming the file.
        threshold (float): The decision threshold.

    Returns:
        dict: A result with ``score=None`` and ``error``.
    """
    result = empty_result(file, None, threshold)
    result['error'] = error
    return result


def score_rule(kind: str, video_score: str, min_face_area_ratio: float) -> str:
    """The sentence that says how the score of an input was made."""
    face = ('P(fake) of a face; a frame scores the max over its faces '
            f'(faces under {min_face_area_ratio:g} of the largest '
            'face area ignored)')
    if kind != 'video':
        return face
    if video_score == 'logit_mean':
        return (face + '; the video scores the sigmoid of the mean '
                'frame logit over frames with a face')
    return (face + '; the video scores the mean frame probability over '
            'frames with a face')


def face_entry(face: dict, *extra: str) -> dict:
    """The JSON entry of a scored face: ``box``, ``score`` (rounded),
    ``detector_score``, ``ignored`` and the ``extra`` keys."""
    entry = dict(
        box=face['box'],
        score=round(face['score'], 6),
        detector_score=face['detector_score'],
        ignored=face['ignored'])
    entry.update((key, face[key]) for key in extra)
    return entry


def frames_result(media: dict, frames: List[dict], no_face: List[int],
                  threshold: float, rule: str) -> dict:
    """A result with its ``frames``, still without a score.

    Args:
        media (dict): The decoded input (``file``, ``type``, ``warnings``).
        frames (list[dict]): The per-frame entries.
        no_face (list[int]): Indices of the frames without a face.
        threshold (float): The decision threshold.
        rule (str): ``score_rule``.

    Returns:
        dict: The result format, ``score`` None.
    """
    result = empty_result(media['file'], media['type'], threshold)
    result.update(
        frames=frames,
        no_face_frames=no_face,
        num_frames=len(frames),
        score_rule=rule,
        warnings=list(media.get('warnings', [])))
    return result


def sample_score(sample) -> Tuple[float, float]:
    """P(fake) and logit of a predicted face.

    Args:
        sample (DeepfakeDataSample): With ``pred_score`` and
            ``pred_logit``.

    Returns:
        tuple[float, float]: The score and the (binary) logit.
    """
    return (float(sample.pred_score.reshape(-1)[0]),
            float(sample.pred_logit.reshape(-1)[0]))


def build_result(media: dict, per_frame: Sequence[List[dict]],
                 threshold: float, video_score: str,
                 min_face_area_ratio: float,
                 calibration: Optional[Calibration] = None,
                 operating_point: Optional[str] = None) -> dict:
    """Score the frames and the input from their predicted faces.

    Adds ``score``, ``logit`` (from the face's data sample) and
    ``ignored`` (too small, see
    :func:`~laanet.evaluation.functional.select_frame_face`) to each face,
    in place.

    Args:
        media (dict): ``file``, ``type``, ``indices`` and ``warnings`` of
            the decoded input.
        per_frame (Sequence[list[dict]]): Per frame, per face: ``box``
            (x0, y0, x1, y1), ``detector_score`` and ``sample`` (the
            predicted :class:`~laanet.structures.DeepfakeDataSample`).
        threshold (float): Score from which the label is ``'fake'``.
        video_score (str): ``'logit_mean'`` or ``'prob_mean'``.
        min_face_area_ratio (float): See ``select_frame_face``.
        calibration (Calibration, optional): Gives the score (calibrated
            P(fake)), the label and the threshold (its operating point);
            without one, ``calibration`` says the threshold is
            uncalibrated (:func:`~laanet.evaluation.calibration.
            input_verdict`). Per-frame and per-face scores stay raw.
        operating_point (str, optional): The calibration's point to use.

    Returns:
        dict: The result (see the module docstring).
    """
    frames, frame_logits, frame_scores, no_face = [], [], [], []
    for fi, faces in enumerate(per_frame):
        index = int(media['indices'][fi])
        score = None
        for face in faces:
            face['score'], face['logit'] = sample_score(face['sample'])
        if faces:
            areas = [(f['box'][2] - f['box'][0]) * (f['box'][3] - f['box'][1])
                     for f in faces]
            best, keep = select_frame_face(areas, [f['logit'] for f in faces],
                                           min_face_area_ratio)
            for face, k in zip(faces, keep):
                face['ignored'] = not k
            frame_scores.append(faces[best]['score'])
            frame_logits.append(faces[best]['logit'])
            score = round(faces[best]['score'], 6)
        else:
            no_face.append(index)
        frames.append(
            dict(index=index, score=score,
                 faces=[face_entry(f) for f in faces]))
    kind = media['type']
    result = frames_result(
        media, frames, no_face, threshold,
        score_rule(kind, video_score, min_face_area_ratio))
    if frame_scores:
        mode = video_score if kind == 'video' else 'prob_mean'
        score = score_video(frame_scores, frame_logits, mode)
        result.update(
            input_verdict(score, frame_logits, mode, kind, threshold,
                          calibration, operating_point))
    else:
        result['reason'] = (
            f'no face found in the {len(frames)} sampled frames'
            if kind == 'video' else 'no face found in the image')
    return result
