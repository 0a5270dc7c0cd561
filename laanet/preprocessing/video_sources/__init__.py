# Copyright (c) laanet contributors. All rights reserved.
"""Which videos make up each data set, with labels and unique ids.

One module per data set on disk (FF++, DFD, Celeb-DF v1/v2, DFDC, DFDCP,
DFW, and generic folders), each listing over the shared
:class:`~.common.VideoItem`. A new data set is a new module here.
"""
from .celebdf import celebdf_videos
from .common import (SplitFileError, VideoItem, list_image_sequences,
                     list_video_files)
from .dfd import dfd_videos
from .dfdc import dfdc_videos
from .dfdcp import dfdcp_videos
from .dfw import dfw_videos
from .ffpp import (FFPP_COMPRESSIONS, FFPP_MANIPULATIONS, ffpp_videos,
                   read_ffpp_split)
from .generic import generic_videos

__all__ = [
    'SplitFileError', 'VideoItem', 'list_video_files', 'list_image_sequences',
    'generic_videos', 'FFPP_MANIPULATIONS', 'FFPP_COMPRESSIONS',
    'read_ffpp_split', 'ffpp_videos', 'dfd_videos', 'celebdf_videos',
    'dfdc_videos', 'dfdcp_videos', 'dfw_videos'
]
