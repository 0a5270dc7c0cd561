# Copyright (c) laanet contributors. All rights reserved.
import threading
import time

import numpy as np
import pytest

from laanet.apis import MediaPrefetcher, MediaReadError, StageTimes
from laanet.apis.media_prefetcher import (DONE, FAILED, FRAME, MEDIA,
                                          READ_ERROR)


def _decode(item):
    if item == 'unreadable':
        raise MediaReadError('unreadable: not a video')
    if item == 'bug':
        raise KeyError('decoder bug')
    return dict(file=item, frames=[np.full((4, 4, 3), i) for i in range(3)])


def _detect(frame):
    if frame.mean() == 2 and detect_fails[0]:
        raise RuntimeError('detector exploded')
    return np.array([[0, 0, 2, 2, 0.9]] * int(frame.mean()))


def _crop(frame, boxes):
    return [frame[:2, :2] for _ in boxes]


detect_fails = [False]


def _events(items, **kwargs):
    with MediaPrefetcher(items, _decode, _detect, _crop, StageTimes(),
                         **kwargs) as pre:
        return [(kind, index) for kind, index, _ in pre]


def test_events_in_input_order():
    detect_fails[0] = False
    assert _events(['a', 'unreadable', 'b']) == [
        (MEDIA, 0), (FRAME, 0), (FRAME, 0), (FRAME, 0), (DONE, 0),
        (READ_ERROR, 1), (MEDIA, 2), (FRAME, 2), (FRAME, 2), (FRAME, 2),
        (DONE, 2)
    ]


def test_frame_payload_and_stage_times():
    detect_fails[0] = False
    times = StageTimes()
    with MediaPrefetcher(['a'], _decode, _detect, _crop, times) as pre:
        frames = [p for kind, _, p in pre if kind == FRAME]
    assert [(fi, len(boxes), len(crops))
            for fi, boxes, crops in frames] == [(0, 0, 0), (1, 1, 1),
                                                (2, 2, 2)]
    assert set(times.as_dict()) == {'decode_s', 'detect_s', 'crop_s',
                                    'forward_s'}


def test_a_failing_input_ends_with_failed_and_the_next_goes_on():
    detect_fails[0] = True
    with MediaPrefetcher(['a', 'b'], _decode, _detect, _crop,
                         StageTimes()) as pre:
        events = list(pre)
    detect_fails[0] = False
    kinds = [(k, i) for k, i, _ in events]
    assert kinds == [(MEDIA, 0), (FRAME, 0), (FRAME, 0), (FAILED, 0),
                     (MEDIA, 1), (FRAME, 1), (FRAME, 1), (FAILED, 1)]
    assert isinstance(events[3][2], RuntimeError)


def test_other_exceptions_reach_the_consumer():
    with pytest.raises(KeyError, match='decoder bug'):
        _events(['a', 'bug', 'b'])


def test_queue_is_bounded_and_close_stops_the_thread():
    detect_fails[0] = False
    seen = []

    def detect(frame):
        seen.append(1)
        return _detect(frame)

    items = [f'v{i}' for i in range(20)]
    pre = MediaPrefetcher(items, _decode, detect, _crop, StageTimes(),
                          queue_size=2)
    it = iter(pre)
    next(it)
    time.sleep(0.3)  # let the thread run as far ahead as it can
    assert len(seen) <= 4  # 2 queued events + 1 being put, not 60 frames
    pre.close()
    assert not any(t.name == 'laanet-media-prefetcher' and t.is_alive()
                   for t in threading.enumerate())
    with pytest.raises(ValueError, match='queue_size'):
        MediaPrefetcher(items, _decode, detect, _crop, StageTimes(),
                        queue_size=0)
