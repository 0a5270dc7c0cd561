# Copyright (c) laanet contributors. All rights reserved.
"""The calibration a consumer uses for its model: a file, an object, or
the one in the checkpoint's ``meta['calibration']``; checked against the
model."""
import os.path as osp
from typing import Optional, Union

from .calibration import Calibration
from .model_identity import (checkpoint_meta, model_config_sha256,
                             weights_sha256)


def calibration_for_model(calibration: Optional[Union[str, Calibration]],
                          cfg,
                          weights: Optional[str]) -> Optional[Calibration]:
    """Find and check the calibration of a model.

    Args:
        calibration (str | Calibration, optional): A calibration file or
            object. None looks in the checkpoint's
            ``meta['calibration']`` (``calibrate.py --embed``; not for
            ``.onnx`` graphs).
        cfg (Config): The model's config.
        weights (str, optional): Its checkpoint or ``.onnx`` graph.

    Returns:
        Calibration | None: The checked calibration; None when none was
        given or embedded.

    Raises:
        FileNotFoundError: For a calibration file that does not exist.
        CalibrationError: For a malformed file, or one made for another
            model (config or weights hash); a graph exported without its
            checkpoint's hash fails against a calibration that records
            one.
    """
    if isinstance(calibration, str):
        calibration = Calibration.load(calibration)
    elif calibration is None:
        if not weights or weights.endswith('.onnx') or not osp.isfile(
                weights):
            return None
        embedded = checkpoint_meta(weights).get('calibration')
        if embedded is None:
            return None
        calibration = Calibration.from_dict(
            embedded, source=f"{weights} (meta['calibration'])")
    elif not isinstance(calibration, Calibration):
        raise TypeError('calibration must be a file path or a Calibration, '
                        f'got {type(calibration)}')
    calibration.check_model(
        model_config_sha256(cfg),
        weights_sha256(weights) if weights else None)
    return calibration
