# Copyright (c) laanet contributors. All rights reserved.
"""Image and video degradations for robustness tests."""
from .common import COMMON_KINDS, COMMON_PARAMS, common_param, degrade
from .df1 import (DF1_KINDS, DF1_NAMES, DF1_PARAMS, as_bgr_uint8,
                  bgr_to_df1_ycbcr, block_wise, color_contrast,
                  color_saturation, df1_param, df1_perturb,
                  df1_ycbcr_to_bgr, gaussian_blur, gaussian_noise_color,
                  gaussian_noise_ycbcr, image_seed, paint_blocks, pixelation)
from .frame_perturbation import FramePerturbation, parse_perturb_specs
from .video_codec import (ffmpeg_exe, h264_round_trip, read_crf,
                          reencode_video)

__all__ = [
    'COMMON_KINDS', 'COMMON_PARAMS', 'common_param', 'degrade', 'DF1_KINDS',
    'DF1_NAMES', 'DF1_PARAMS', 'as_bgr_uint8', 'bgr_to_df1_ycbcr',
    'block_wise', 'color_contrast', 'color_saturation', 'df1_param',
    'df1_perturb', 'df1_ycbcr_to_bgr', 'gaussian_blur',
    'gaussian_noise_color', 'gaussian_noise_ycbcr', 'image_seed',
    'paint_blocks', 'pixelation', 'ffmpeg_exe', 'h264_round_trip',
    'read_crf', 'reencode_video', 'FramePerturbation', 'parse_perturb_specs'
]
