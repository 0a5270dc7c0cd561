# Copyright (c) laanet contributors. All rights reserved.
"""Seek-based sampling of evenly spaced frames from a video.

Owns :func:`sample_frame_indices`, the one rule for choosing evenly
spaced frames (the face extraction tool, video inference and the test
datasets' ``frames_per_video`` all use it). Frames are read
with OpenCV: a target far ahead is reached by seeking, a near one by
grabbing the frames in between (cheaper than a seek on most codecs).
Containers that over-state their frame count are detected and the real
count is used instead.
"""
from dataclasses import dataclass, field
from typing import Iterator, List

import cv2
import numpy as np


class VideoReadError(RuntimeError):
    """Raised when a video cannot be opened or has no decodable frame."""


@dataclass
class SampledFrames:
    """Frames sampled from one video.

    Attributes:
        indices (list[int]): The frame index of each frame, ascending.
        frames (list[np.ndarray]): BGR uint8 images, one per index.
        declared_count (int): The frame count the container declares.
        real_count (int): The number of decodable frames when the
            container lied about it, else ``declared_count``.
        warnings (list[str]): Notes for the report, e.g. a video shorter
            than the requested number of frames.
        fps (float): The frame rate the container declares (0 when it
            declares none).
    """
    indices: List[int] = field(default_factory=list)
    frames: List[np.ndarray] = field(default_factory=list)
    declared_count: int = 0
    real_count: int = 0
    warnings: List[str] = field(default_factory=list)
    fps: float = 0.


#: The frame sampling rules of :func:`sample_frame_indices`.
SAMPLINGS = ('even', 'consecutive', 'clips')


def sample_frame_indices(num_total: int,
                         num_frames: int,
                         sampling: str = 'even',
                         clip_len: int = 4) -> List[int]:
    """The frames to read from a video, by one of three rules.

    - ``'even'``: evenly spaced, as ``np.linspace(0, n - 1, k)``. Unlike
      the official crop script the indices are rounded (not truncated)
      and never repeat.
    - ``'consecutive'``: the first ``num_frames`` frames in order (the
      official FakeSTormer ``videos`` mode); ``num_frames <= 0`` takes
      every frame.
    - ``'clips'``: ``num_frames // clip_len`` windows of ``clip_len``
      consecutive frames, their starts evenly spaced over the video and
      the windows not overlapping (video inference of clip models).

    A video with fewer frames than asked for gives all its frames.

    Args:
        num_total (int): Number of frames in the video.
        num_frames (int): Number of frames wanted.
        sampling (str): ``'even'``, ``'consecutive'`` or ``'clips'``.
            Defaults to ``'even'``.
        clip_len (int): Frames per window (``'clips'``). Defaults to 4.

    Returns:
        list[int]: Sorted unique frame indices.

    Raises:
        ValueError: For an unknown ``sampling`` or ``clip_len < 1``.
    """
    if sampling not in SAMPLINGS:
        raise ValueError(f'Unknown frame sampling {sampling!r}; use one of '
                         f'{SAMPLINGS}')
    if clip_len < 1:
        raise ValueError(f'clip_len must be >= 1, got {clip_len}')
    if sampling == 'consecutive':
        if num_frames <= 0:
            return list(range(max(num_total, 0)))
        return list(range(min(max(num_total, 0), num_frames)))
    if num_total <= 0 or num_frames <= 0:
        return []
    if sampling == 'clips':
        if num_frames >= num_total:
            return list(range(num_total))
        windows = max(num_frames // clip_len, 1)
        starts = sample_frame_indices(
            num_total // clip_len, windows) if num_total >= clip_len else [0]
        return sorted({
            s * clip_len + k
            for s in starts for k in range(clip_len)
            if s * clip_len + k < num_total
        })
    if num_frames >= num_total:
        return list(range(num_total))
    idx = np.linspace(0, num_total - 1, num_frames).round().astype(int)
    return sorted(set(idx.tolist()))


def count_decodable_frames(path: str) -> int:
    """Count the frames that really decode, by grabbing them all.

    Args:
        path (str): Video file.

    Returns:
        int: Number of frames ``cv2.VideoCapture.grab`` accepts.
    """
    cap = cv2.VideoCapture(path)
    count = 0
    try:
        while cap.grab():
            count += 1
    finally:
        cap.release()
    return count


def _read_indices(cap: cv2.VideoCapture, indices: List[int],
                  max_grab_gap: int) -> List[np.ndarray]:
    """Read ``indices`` (ascending); stop at the first failed read."""
    frames = []
    pos = 0  # index of the next frame the capture returns
    for idx in indices:
        gap = idx - pos
        if gap < 0 or gap > max_grab_gap:
            cap.set(cv2.CAP_PROP_POS_FRAMES, idx)
        else:
            for _ in range(gap):
                if not cap.grab():
                    return frames
        ok, frame = cap.read()
        if not ok or frame is None:
            return frames
        frames.append(frame)
        pos = idx + 1
    return frames


def read_sampled_frames(path: str,
                        num_frames: int,
                        max_grab_gap: int = 16,
                        sampling: str = 'even',
                        clip_len: int = 4) -> SampledFrames:
    """Read ``num_frames`` frames of a video (evenly spaced by default).

    Args:
        path (str): Video file.
        num_frames (int): Frames to sample. Videos shorter than that give
            all their frames and a warning.
        max_grab_gap (int): Frames between two targets up to which the
            reader grabs instead of seeking. Defaults to 16.
        sampling (str): The rule of :func:`sample_frame_indices`.
            Defaults to ``'even'``.
        clip_len (int): Window length of ``sampling='clips'``.

    Returns:
        SampledFrames: The frames, their indices and notes.

    Raises:
        VideoReadError: If the file cannot be opened or no frame decodes
            (zero-byte, corrupt or empty files).
    """
    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            raise VideoReadError(f'{path}: cannot be opened as a video')
        declared = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        result = SampledFrames(
            declared_count=declared,
            real_count=declared,
            fps=float(cap.get(cv2.CAP_PROP_FPS) or 0.))
        indices = sample_frame_indices(declared, num_frames, sampling,
                                       clip_len)
        frames = _read_indices(cap, indices, max_grab_gap)
    finally:
        cap.release()
    if len(frames) < len(indices) or declared <= 0:
        # The container lied (or declared nothing): count the frames that
        # decode and sample again over the real count.
        real = count_decodable_frames(path)
        if real == 0:
            raise VideoReadError(f'{path}: no decodable frame')
        result.real_count = real
        result.warnings.append(
            f'frame count mismatch: container declares {declared}, '
            f'{real} frames decode')
        indices = sample_frame_indices(real, num_frames, sampling, clip_len)
        cap = cv2.VideoCapture(path)
        try:
            frames = _read_indices(cap, indices, max_grab_gap)
        finally:
            cap.release()
        if len(frames) < len(indices):
            # Seeking is unreliable in this file: read sequentially.
            frames = read_frames_sequential(path, indices)
        if len(frames) < len(indices):
            raise VideoReadError(
                f'{path}: only {len(frames)} of {len(indices)} sampled '
                'frames decode')
    if 0 < num_frames and result.real_count < num_frames:
        result.warnings.append(
            f'short video: {result.real_count} frames < {num_frames} '
            'requested, all frames used')
    result.indices = indices
    result.frames = frames
    return result


def read_frames_sequential(path: str,
                           indices: List[int]) -> List[np.ndarray]:
    """Read ``indices`` by decoding every frame in order (no seeking).

    Args:
        path (str): The video file.
        indices (list[int]): Frame indices to keep.

    Returns:
        list[np.ndarray]: The BGR frames found, in order.
    """
    wanted = set(indices)
    frames = []
    cap = cv2.VideoCapture(path)
    try:
        idx = 0
        while len(frames) < len(indices):
            ok, frame = cap.read()
            if not ok:
                break
            if idx in wanted:
                frames.append(frame)
            idx += 1
    finally:
        cap.release()
    return frames


def read_frames_at(path: str,
                   indices: List[int],
                   max_grab_gap: int = 16) -> List[np.ndarray]:
    """Read the frames at the given ascending indices.

    Used for the mask video of a manipulated FF++ video, whose frames
    must match the ones sampled from the video itself.

    Args:
        path (str): Video file.
        indices (list[int]): Ascending frame indices.
        max_grab_gap (int): See :func:`read_sampled_frames`.

    Returns:
        list[np.ndarray]: The frames; shorter than ``indices`` if the video
        ends early or cannot be opened.
    """
    cap = cv2.VideoCapture(path)
    try:
        if not cap.isOpened():
            return []
        frames = _read_indices(cap, list(indices), max_grab_gap)
    finally:
        cap.release()
    if len(frames) < len(indices):
        frames = read_frames_sequential(path, list(indices))
    return frames


def read_all_frames(path: str) -> List[np.ndarray]:
    """Read every frame of a video, in order (no seeking).

    Args:
        path (str): The video file.

    Returns:
        list[np.ndarray]: The BGR frames that decode (empty when the file
        cannot be opened).
    """
    return list(iter_frames(path))


def iter_frames(path: str) -> Iterator[np.ndarray]:
    """Yield every frame of a video, in order, holding one at a time.

    Args:
        path (str): The video file.

    Yields:
        np.ndarray: BGR frames, until the first that does not decode.
    """
    cap = cv2.VideoCapture(path)
    try:
        while True:
            ok, frame = cap.read()
            if not ok:
                return
            yield frame
    finally:
        cap.release()
