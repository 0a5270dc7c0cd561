# Copyright (c) laanet contributors. All rights reserved.
from .clip_sampler import ClipSampler
from .video_frame_sampler import VideoFrameSampler

__all__ = ['ClipSampler', 'VideoFrameSampler']
