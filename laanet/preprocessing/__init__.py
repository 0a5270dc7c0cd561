# Copyright (c) laanet contributors. All rights reserved.
"""Data preparation: from raw videos to annotation files.

Face detectors and landmark predictors (registered in ``TASK_UTILS``, shared
with inference), face extraction, landmark annotation and the per-dataset
video sources. Runs offline, before training; ``laanet.datasets`` never
imports it.
"""
from .face_detectors import *  # noqa: F401,F403
from .face_detectors import __all__ as _face_detectors_all
from .face_extraction import (DETECTORS, build_report, extract_video,
                              read_frame_index, run_extraction)
from .landmark_annotation import build_annotation, landmark_video
from .perturbed_extraction import perturbed_dir, run_perturbed_extractions
from .similar_landmarks import (SEARCH_METHODS, add_best_match,
                                normalize_landmarks, search_similar,
                                search_similar_official)
from .video_sources import (FFPP_MANIPULATIONS, SplitFileError, VideoItem,
                            celebdf_videos, dfd_videos, dfdc_videos,
                            dfdcp_videos, dfw_videos, ffpp_videos,
                            generic_videos, read_ffpp_split)

__all__ = [
    'DETECTORS', 'build_report', 'extract_video', 'read_frame_index',
    'run_extraction', 'build_annotation', 'landmark_video', 'perturbed_dir',
    'run_perturbed_extractions', 'add_best_match',
    'normalize_landmarks', 'search_similar', 'search_similar_official',
    'SEARCH_METHODS', 'FFPP_MANIPULATIONS',
    'SplitFileError', 'VideoItem', 'celebdf_videos', 'dfd_videos',
    'dfdc_videos', 'dfdcp_videos', 'dfw_videos', 'ffpp_videos',
    'generic_videos', 'read_ffpp_split'
]
__all__ += list(_face_detectors_all)
