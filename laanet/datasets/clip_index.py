# Copyright (c) laanet contributors. All rights reserved.
"""Clips of consecutive frames: grouping, natural order and chunking.

FakeSTormer's items are clips of ``T`` consecutive frames of one video
(fakestormer-reference §4.7): the frames of a video (same ``video_id``)
are put in natural order of their paths (``natsorted``: ``2.png`` before
``10.png``) and cut into non-overlapping ``T``-frame chunks
``[k, k + T)`` for ``k = start, start + T, ...``; an incomplete tail is
dropped. ``start`` is 0 at epoch 0 and in testing; training redraws one
per video every later epoch (:class:`~laanet.datasets.samplers.ClipSampler`).

A chunk is named by a *clip key* ``(video, start)``: the video's number
(first-appearance order) and the position of its first frame among the
video's sorted frames.
"""
import re
from typing import List, Optional, Sequence, Tuple

import numpy as np

from laanet.utils.grouping import group_indices

ClipKey = Tuple[int, int]

_DIGITS = re.compile(r'(\d+)')


def natural_key(path: str) -> tuple:
    """Sort key that orders digit runs by value (``natsort``'s default).

    Args:
        path (str): A path.

    Returns:
        tuple: Text parts (even positions) and digit runs as ints (odd
        positions), so two keys compare part by part like for like.
    """
    return tuple(
        int(p) if i % 2 else p for i, p in enumerate(_DIGITS.split(path)))


class ClipIndex:
    """The videos of a frame list and their ``clip_len``-frame chunks.

    Args:
        video_ids (Sequence[str]): The video id of every frame.
        paths (Sequence[str]): The image path of every frame (the natural
            order of the paths is the frame order).
        clip_len (int): Frames per clip, ``T``.

    Raises:
        ValueError: If ``clip_len < 1`` or the two lists differ in length.
    """

    def __init__(self, video_ids: Sequence[str], paths: Sequence[str],
                 clip_len: int) -> None:
        if clip_len < 1:
            raise ValueError(f'clip_len must be >= 1, got {clip_len}')
        if len(video_ids) != len(paths):
            raise ValueError(f'{len(video_ids)} video ids but {len(paths)} '
                             'paths')
        self.clip_len = clip_len
        groups = group_indices(video_ids)
        self.video_ids: List[str] = list(groups)
        #: per video, the frame positions (into the frame list) in order
        self.frames: List[List[int]] = [
            sorted(idx, key=lambda i: natural_key(paths[i]))
            for idx in groups.values()
        ]

    @property
    def num_videos(self) -> int:
        """Number of videos."""
        return len(self.frames)

    def chunks(self,
               offsets: Optional[Sequence[int]] = None) -> List[ClipKey]:
        """The non-overlapping chunks of every video, videos in order.

        Args:
            offsets (Sequence[int], optional): The start of the first chunk
                of each video; None starts every video at 0.

        Returns:
            list[tuple[int, int]]: Clip keys ``(video, start)``.
        """
        if offsets is None:
            offsets = [0] * self.num_videos
        if len(offsets) != self.num_videos:
            raise ValueError(f'{len(offsets)} offsets for '
                             f'{self.num_videos} videos')
        t = self.clip_len
        return [(v, k) for v, (frames, start) in enumerate(
            zip(self.frames, offsets))
                for k in range(int(start),
                               len(frames) - t + 1, t)]

    def positions(self, key: ClipKey) -> List[int]:
        """The frame positions of a clip, in frame order.

        Args:
            key (tuple[int, int]): ``(video, start)``.

        Returns:
            list[int]: ``clip_len`` positions into the frame list.

        Raises:
            IndexError: If the clip does not lie inside its video.
        """
        v, start = key
        if not 0 <= v < self.num_videos:
            raise IndexError(f'clip key {key}: there are {self.num_videos} '
                             'videos')
        frames = self.frames[v]
        if not 0 <= start <= len(frames) - self.clip_len:
            raise IndexError(
                f'clip key {key}: video {self.video_ids[v]!r} has '
                f'{len(frames)} frames, too few for {self.clip_len} '
                f'frames from {start}')
        return frames[start:start + self.clip_len]


#: Data-info entries that differ from frame to frame; a clip holds a list
#: of them (``landmarks`` an array when every frame has them).
PER_FRAME_KEYS = ('img_path', 'landmarks', 'landmark_path', 'mask_path',
                  'orig_img_path', 'orig_landmarks', 'best_match',
                  'face_area', 'sample_idx')


def clip_info(frames: Sequence[dict], start: int) -> dict:
    """Merge the data infos of a clip's frames into one clip info.

    Per-frame entries (:data:`PER_FRAME_KEYS`) become lists in frame order
    (``landmarks`` a float32 (T, P, 2) array when every frame has them);
    the others come from the first frame. ``gt_label`` is the largest frame
    label (the official clip label), ``frame_indices`` the frames'
    ``frame_idx`` (their position in the video where the annotation has
    none), ``frame_idx`` the first of them and ``clip_start`` the first
    frame's position among the video's sorted frames.

    Args:
        frames (Sequence[dict]): The frames' data infos, in frame order.
        start (int): The clip's first frame position in its video.

    Returns:
        dict: The clip info.
    """
    info = {k: v for k, v in frames[0].items() if k not in PER_FRAME_KEYS}
    for key in PER_FRAME_KEYS:
        values = [f.get(key) for f in frames]
        if any(v is not None for v in values):
            info[key] = values
    lms = info.get('landmarks')
    if lms is not None and all(v is not None for v in lms) and len(
            {v.shape for v in lms}) == 1:
        info['landmarks'] = np.stack(lms).astype(np.float32)
    idx = [int(f.get('frame_idx', -1)) for f in frames]
    if min(idx) < 0:
        idx = list(range(start, start + len(frames)))
    info['frame_indices'] = np.asarray(idx, dtype=np.int64)
    info['frame_idx'] = idx[0]
    info['clip_start'] = int(start)
    labels = [int(f['gt_label']) for f in frames if 'gt_label' in f]
    if labels:
        info['gt_label'] = max(labels)
        info['label'] = max(labels)
    return info
