# Copyright (c) laanet contributors. All rights reserved.
"""Media I/O, in one place (as ``mmcv.image``/``mmcv.video``).

- :mod:`.extensions`: the image and video extensions laanet reads;
- :mod:`.image`: :func:`read_image` and :func:`to_bgr_uint8`, the one
  policy that brings any image to BGR uint8;
- :mod:`.video`: the frame-sampling rule and frame reading (sampled,
  at given indices, all);
- :mod:`.video_writer`: :func:`write_video`, the one video writer;
- :mod:`.ffmpeg`: re-encoding with libx264 (:func:`reencode_video`);
- :mod:`.atomic`: atomic writes of text, JSON, CSV, images and
  checkpoints.

A leaf: it imports nothing of laanet above :mod:`laanet.utils`, so any
package can use it; ``import laanet.utils`` does not import it.
"""
from .atomic import (atomic_dump_json, atomic_torch_save, atomic_write,
                     atomic_write_csv, atomic_write_image, atomic_write_text)
from .extensions import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS
from .ffmpeg import ffmpeg_exe, read_crf, reencode_video, run_ffmpeg
from .image import DEFAULT_MAX_PIXELS, MediaReadError, read_image, to_bgr_uint8
from .video import (SampledFrames, VideoReadError, count_decodable_frames,
                    iter_frames, read_all_frames, read_frames_at,
                    read_frames_sequential, read_sampled_frames,
                    sample_frame_indices)
from .video_writer import write_video

__all__ = [
    'atomic_dump_json', 'atomic_torch_save', 'atomic_write',
    'atomic_write_csv', 'atomic_write_image', 'atomic_write_text',
    'IMAGE_EXTENSIONS', 'VIDEO_EXTENSIONS', 'ffmpeg_exe', 'read_crf',
    'reencode_video', 'run_ffmpeg', 'DEFAULT_MAX_PIXELS', 'MediaReadError',
    'read_image', 'to_bgr_uint8', 'SampledFrames', 'VideoReadError',
    'count_decodable_frames', 'iter_frames', 'read_all_frames',
    'read_frames_at', 'read_frames_sequential',
    'read_sampled_frames', 'sample_frame_indices', 'write_video'
]
