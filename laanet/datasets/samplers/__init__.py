# Copyright (c) laanet contributors. All rights reserved.
from .video_frame_sampler import VideoFrameSampler

__all__ = ['VideoFrameSampler']
