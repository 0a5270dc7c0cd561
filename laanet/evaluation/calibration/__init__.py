# Copyright (c) laanet contributors. All rights reserved.
"""Calibration as data: temperature scaling and operating points fitted on
a labelled set (``tools/analysis_tools/calibrate.py``), stored as a JSON
file or in a checkpoint's ``meta['calibration']``, and applied wherever a
verdict is given."""
from .calibration import (FORMAT, LEVELS, UNCALIBRATED_NOTE, Calibration,
                          uncalibrated_verdict)
from .calibration_error import CalibrationError
from .fitting import (DEFAULT_TARGET_FPRS, fit_calibration, fit_level,
                      fit_temperature, video_rule_logit)
from .model_calibration import calibration_for_model
from .model_identity import (checkpoint_meta, model_config_sha256,
                             weights_sha256)
from .report_columns import (CALIBRATED_COLUMNS, calibrated_markdown,
                             calibrated_row)
from .scores_files import (calibrate_scores, level_logits, read_scores_json,
                           summary_lines, write_calibrated_scores)
from .verdicts import calibration_text, input_verdict

__all__ = [
    'FORMAT', 'LEVELS', 'UNCALIBRATED_NOTE', 'Calibration',
    'CalibrationError', 'uncalibrated_verdict', 'DEFAULT_TARGET_FPRS',
    'fit_calibration', 'fit_level', 'fit_temperature', 'video_rule_logit',
    'calibration_for_model', 'checkpoint_meta', 'model_config_sha256',
    'weights_sha256',
    'calibrate_scores', 'level_logits', 'read_scores_json', 'input_verdict',
    'calibration_text', 'summary_lines', 'write_calibrated_scores',
    'CALIBRATED_COLUMNS', 'calibrated_markdown', 'calibrated_row'
]
