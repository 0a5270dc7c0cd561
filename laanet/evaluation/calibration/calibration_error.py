# Copyright (c) laanet contributors. All rights reserved.
"""The error of a bad calibration file or fitting set."""


class CalibrationError(ValueError):
    """A calibration file that is malformed or made for another model, or a
    set a calibration cannot be fitted on."""
