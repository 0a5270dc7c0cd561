# Copyright (c) laanet contributors. All rights reserved.
"""A calibration of a test model, made by hand (known temperatures and
operating points) for the consumers' tests."""
import numpy as np
from mmengine.config import Config


def handmade_calibration(cfg_file: str, ckpt: str, frame_t: float = 2.0,
                         video_t: float = 3.0):
    """A :class:`~laanet.evaluation.calibration.Calibration` of the model
    of ``cfg_file`` and ``ckpt``: temperatures ``frame_t`` / ``video_t``,
    operating points ``eer`` (logit 0.05; FPR 20 %, TPR 80 %) and
    ``fpr@0.05`` (logit 1; FPR 5 %, TPR 40 %), fitted on
    ``handmade:val`` (100 frames, 10 videos) on 2026-12-04.

    Args:
        cfg_file (str): The model's config file.
        ckpt (str): Its checkpoint.
        frame_t (float): Frame-level temperature. Defaults to 2.
        video_t (float): Video-level temperature. Defaults to 3.

    Returns:
        Calibration: Checked against that model by its consumers.
    """
    from laanet.evaluation.calibration import (Calibration,
                                               model_config_sha256,
                                               weights_sha256)

    def level(t):
        points = {
            name: dict(logit=z, probability=float(1 / (1 + np.exp(-z / t))),
                       fpr=fpr, tpr=tpr)
            for name, z, fpr, tpr in (('eer', 0.05, 0.2, 0.8),
                                      ('fpr@0.05', 1.0, 0.05, 0.4))
        }
        return dict(temperature=t, operating_points=points)

    return Calibration(
        levels=dict(frame=level(frame_t), video=level(video_t)),
        model=dict(config=cfg_file,
                   model_sha256=model_config_sha256(
                       Config.fromfile(cfg_file)),
                   checkpoint=ckpt, weights_sha256=weights_sha256(ckpt)),
        fitted_on=dict(name='handmade:val', frames=100, videos=10),
        created='2026-12-04T19:00:00+00:00')
