# Copyright (c) laanet contributors. All rights reserved.
"""A calibration of a detector: the data every verdict is given with."""
import copy
import json
import math
import os.path as osp
from typing import Dict, Optional, Sequence, Union

import numpy as np

from laanet.utils.media import atomic_dump_json
from ..functional import sigmoid
from .calibration_error import CalibrationError

#: ``format`` of a calibration file.
FORMAT = 'laanet-calibration'
#: The file format's version.
VERSION = 1
#: The levels a calibration covers: a face / image, a video.
LEVELS = ('frame', 'video')
#: ``calibration`` of a result scored without a calibration.
UNCALIBRATED_NOTE = (
    'uncalibrated: P(fake) is the raw model output and the threshold {t:g} '
    'was not chosen on data; fit a calibration with '
    'tools/analysis_tools/calibrate.py and pass --calibration')


class Calibration:
    """Temperature scaling and operating points fitted on a labelled set.

    A detector's logit ``z`` of P(fake) becomes the calibrated
    ``P(fake) = sigmoid(z / T)``, with one temperature ``T`` per level
    (``'frame'``: a face or an image; ``'video'``: the video logit of the
    metric's ``video_score`` rule). An operating point is a named threshold
    (``'eer'``, ``'fpr@0.01'``, ...) chosen on the same set: its raw
    ``logit`` (the decision ``z >= logit``, the same as the calibrated
    ``P(fake) >= probability``), and the FPR / TPR it had there. The file
    records the model (hashes of its config's ``model`` and of its
    weights) and the set it was fitted on, so a calibration is not used
    with another model (:meth:`check_model`).

    Made by ``tools/analysis_tools/calibrate.py``
    (:func:`~laanet.evaluation.calibration.fit_calibration`); read by every
    consumer with :meth:`load` (or :meth:`from_dict` for one embedded in a
    checkpoint's ``meta['calibration']``).

    Args:
        levels (dict): Per level (``'frame'``, ``'video'``):
            ``temperature`` (> 0), ``operating_points`` (name ->
            ``logit``, ``probability``, ``fpr``, ``tpr``) and optionally
            the fit's ``stats``.
        model (dict): ``config``, ``model_sha256``, ``checkpoint`` and
            ``weights_sha256``.
        fitted_on (dict): ``name`` of the set, ``config``, ``split``,
            ``ann_file``, sample counts and ``video_score``.
        created (str): ISO date of the fit.
        default_operating_point (str): The point used when a consumer
            names none. Defaults to ``'eer'``.
        method (str, optional): How it was fitted.
        source (str, optional): Where it was read from (named in errors
            and in results).

    Raises:
        CalibrationError: For a malformed level, temperature or
            operating point.
    """

    def __init__(self,
                 levels: Dict[str, dict],
                 model: dict,
                 fitted_on: dict,
                 created: str,
                 default_operating_point: str = 'eer',
                 method: Optional[str] = None,
                 source: Optional[str] = None) -> None:
        self.levels = copy.deepcopy(dict(levels))
        self.model = dict(model)
        self.fitted_on = dict(fitted_on)
        self.created = created
        self.default_operating_point = default_operating_point
        self.method = method
        self.source = source or '<calibration>'
        self.validate()

    # -- reading and writing ----------------------------------------------
    def _error(self, problem: str) -> CalibrationError:
        return CalibrationError(f'{self.source}: {problem}')

    def validate(self) -> None:
        """Check every level, temperature and operating point.

        Raises:
            CalibrationError: Naming the file and the problem.
        """
        if set(self.levels) != set(LEVELS):
            raise self._error(f'levels must be {list(LEVELS)}, got '
                              f'{sorted(self.levels)}')
        for level, entry in self.levels.items():
            t = entry.get('temperature') if isinstance(entry, dict) else None
            if (not isinstance(t, (int, float)) or not math.isfinite(t)
                    or t <= 0):
                raise self._error(f'{level} temperature must be a positive '
                                  f'number, got {t!r}')
            points = entry.get('operating_points')
            if not isinstance(points, dict) or not points:
                raise self._error(f'{level} has no operating_points')
            for name, point in points.items():
                value = point.get('logit') if isinstance(point,
                                                         dict) else None
                if not isinstance(value, (int, float)) or math.isnan(value):
                    raise self._error(f'{level} operating point {name!r} '
                                      f'has no numeric logit: {point!r}')
            if self.default_operating_point not in points:
                raise self._error(
                    f'default operating point '
                    f'{self.default_operating_point!r} is not among the '
                    f'{level} points {sorted(points)}')

    def to_dict(self) -> dict:
        """The JSON-ready content of the file."""
        return dict(
            format=FORMAT,
            version=VERSION,
            created=self.created,
            method=self.method,
            model=self.model,
            fitted_on=self.fitted_on,
            default_operating_point=self.default_operating_point,
            levels=self.levels)

    @classmethod
    def from_dict(cls, data: dict, source: str = '<calibration>'
                  ) -> 'Calibration':
        """A calibration from :meth:`to_dict`'s content.

        Raises:
            CalibrationError: If it is not a laanet calibration of a known
                version, or malformed.
        """
        if not isinstance(data, dict) or data.get('format') != FORMAT:
            raise CalibrationError(
                f'{source}: not a laanet calibration (no '
                f'"format": "{FORMAT}"); make one with '
                'tools/analysis_tools/calibrate.py')
        if data.get('version') != VERSION:
            raise CalibrationError(
                f'{source}: calibration version {data.get("version")!r} is '
                f'not supported (this laanet reads version {VERSION})')
        missing = [
            k for k in ('levels', 'model', 'fitted_on', 'created')
            if k not in data
        ]
        if missing:
            raise CalibrationError(f'{source}: missing {missing}')
        return cls(
            levels=data['levels'],
            model=data['model'],
            fitted_on=data['fitted_on'],
            created=data['created'],
            default_operating_point=data.get('default_operating_point',
                                             'eer'),
            method=data.get('method'),
            source=source)

    @classmethod
    def load(cls, path: str) -> 'Calibration':
        """Read a calibration file.

        Raises:
            FileNotFoundError: If it does not exist.
            CalibrationError: If it is not valid JSON or not a calibration.
        """
        if not osp.isfile(path):
            raise FileNotFoundError(f'calibration file {path} does not exist')
        with open(path, encoding='utf-8') as f:
            try:
                data = json.load(f)
            except json.JSONDecodeError as err:
                raise CalibrationError(f'{path}: not JSON ({err})') from err
        return cls.from_dict(data, source=path)

    def save(self, path: str) -> None:
        """Write the calibration file (atomically)."""
        atomic_dump_json(self.to_dict(), path, indent=1)

    # -- the model it belongs to ------------------------------------------
    def check_model(self, model_sha256: Optional[str],
                    weights_sha256: Optional[str]) -> None:
        """Refuse a calibration made for another model.

        Args:
            model_sha256 (str, optional): The config's ``model`` hash
                (:func:`~.model_identity.model_config_sha256`).
            weights_sha256 (str, optional): The weights' hash
                (:func:`~.model_identity.weights_sha256`); None when
                unknown (no checkpoint, or a graph that does not record
                it), which fails for a calibration that records one.

        Raises:
            CalibrationError: Naming the file, what differs and both
                values.
        """
        problems = []
        mine = self.model.get('model_sha256')
        if mine and model_sha256 != mine:
            problems.append(f'config model hash {model_sha256} != {mine} '
                            f'(calibrated with {self.model.get("config")})')
        mine = self.model.get('weights_sha256')
        if mine and weights_sha256 != mine:
            problems.append(
                f'checkpoint weights hash {weights_sha256} != {mine} '
                f'(calibrated with {self.model.get("checkpoint")})')
        if problems:
            raise self._error(
                'made for another model: ' + '; '.join(problems) +
                '. Fit a calibration for this model with '
                'tools/analysis_tools/calibrate.py')

    # -- applying it ------------------------------------------------------
    def temperature(self, level: str) -> float:
        """The temperature of ``'frame'`` or ``'video'``."""
        if level not in LEVELS:
            raise ValueError(f'level must be one of {LEVELS}, got {level!r}')
        return float(self.levels[level]['temperature'])

    def probability(self, logits: Union[float, Sequence[float]],
                    level: str) -> np.ndarray:
        """Calibrated P(fake) = ``sigmoid(logit / T)``."""
        return sigmoid(
            np.asarray(logits, dtype=np.float64) / self.temperature(level))

    def operating_point(self, level: str,
                        name: Optional[str] = None) -> dict:
        """An operating point of a level, with its ``name``.

        Args:
            level (str): ``'frame'`` or ``'video'``.
            name (str, optional): Defaults to the file's
                ``default_operating_point``.

        Raises:
            CalibrationError: For a point the file does not have.
        """
        name = name or self.default_operating_point
        points = self.levels[level]['operating_points']
        if name not in points:
            raise self._error(f'no {level} operating point {name!r}; it has '
                              f'{sorted(points)}')
        return dict(points[name], name=name)

    def fitted_on_text(self) -> str:
        """``<set> (<n> frames, <m> videos; <date>)``."""
        f = self.fitted_on
        return (f'{f.get("name")} ({f.get("frames")} frames, '
                f'{f.get("videos")} videos; {self.created[:10]})')

    def verdict(self, logit: float, level: str,
                operating_point: Optional[str] = None) -> dict:
        """The calibrated score, label and threshold of one logit.

        Args:
            logit (float): The raw logit of P(fake) (a face's, or the
                video's per the metric's rule).
            level (str): ``'frame'`` or ``'video'``.
            operating_point (str, optional): Defaults to the file's.

        Returns:
            dict: ``score`` (calibrated P(fake)), ``label`` and
            ``threshold`` (calibrated P(fake) of the operating point), and
            ``calibration`` (what was applied: the file, the set, the
            level, the temperature, the point with its FPR / TPR on the
            set, the ``raw_score`` and the point's ``raw_threshold``:
            uncalibrated P(fake)).
        """
        point = self.operating_point(level, operating_point)
        score = float(self.probability(logit, level))
        return dict(
            score=score,
            label='fake' if logit >= point['logit'] else 'real',
            threshold=float(point['probability']),
            calibration=dict(
                calibrated=True,
                file=self.source,
                fitted_on=self.fitted_on_text(),
                level=level,
                temperature=self.temperature(level),
                operating_point=point['name'],
                operating_point_fpr=point.get('fpr'),
                operating_point_tpr=point.get('tpr'),
                raw_threshold=float(sigmoid(point['logit'])),
                raw_score=float(sigmoid(logit))))


def uncalibrated_verdict(score: float, threshold: float) -> dict:
    """The verdict without a calibration: the raw score at the config's
    threshold, said to be uncalibrated.

    Args:
        score (float): The raw P(fake).
        threshold (float): The config's threshold.

    Returns:
        dict: ``score``, ``label``, ``threshold`` and ``calibration``
        (``calibrated=False`` and a ``note``).
    """
    return dict(
        score=score,
        label='fake' if score >= threshold else 'real',
        threshold=threshold,
        calibration=dict(
            calibrated=False, note=UNCALIBRATED_NOTE.format(t=threshold)))
