# Copyright (c) laanet contributors. All rights reserved.
"""Image and video degradations for robustness tests."""
from .common import COMMON_KINDS, COMMON_PARAMS, common_param, degrade
from .df1 import (DF1_KINDS, DF1_NAMES, DF1_PARAMS, bgr_to_df1_ycbcr,
                  block_wise, color_contrast, color_saturation, df1_param,
                  df1_perturb, df1_ycbcr_to_bgr, gaussian_blur,
                  gaussian_noise_color, gaussian_noise_ycbcr, image_seed,
                  paint_blocks, pixelation)
from .frame_perturbation import FramePerturbation, parse_perturb_specs
from .video_codec import h264_round_trip

__all__ = [
    'COMMON_KINDS', 'COMMON_PARAMS', 'common_param', 'degrade', 'DF1_KINDS',
    'DF1_NAMES', 'DF1_PARAMS', 'bgr_to_df1_ycbcr',
    'block_wise', 'color_contrast', 'color_saturation', 'df1_param',
    'df1_perturb', 'df1_ycbcr_to_bgr', 'gaussian_blur',
    'gaussian_noise_color', 'gaussian_noise_ycbcr', 'image_seed',
    'paint_blocks', 'pixelation', 'h264_round_trip', 'FramePerturbation',
    'parse_perturb_specs'
]
