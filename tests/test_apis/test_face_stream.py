# Copyright (c) laanet contributors. All rights reserved.
"""The face stream (decode, detect, crop as one iterator of events), its
background prefetching and the sample builder of image methods."""
import threading
import time

import numpy as np
import pytest

from laanet.apis import (FaceStream, FrameFaces, MediaReadError, StageTimes,
                         prefetch)
from laanet.apis.face_stream import DONE, FAILED, FRAME, MEDIA, READ_ERROR


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


def _stream(items, times=None):
    return FaceStream(items, _decode, _detect, _crop, times or StageTimes())


def _events(items, **kwargs):
    with prefetch(_stream(items), **kwargs) as pre:
        return [(kind, index) for kind, index, _ in pre]


def test_events_in_input_order():
    detect_fails[0] = False
    expected = [
        (MEDIA, 0), (FRAME, 0), (FRAME, 0), (FRAME, 0), (DONE, 0),
        (READ_ERROR, 1), (MEDIA, 2), (FRAME, 2), (FRAME, 2), (FRAME, 2),
        (DONE, 2)
    ]
    assert _events(['a', 'unreadable', 'b']) == expected
    # without the thread: the same events
    assert [(k, i) for k, i, _ in _stream(['a', 'unreadable', 'b'])
            ] == expected


def test_frame_payload_and_stage_times():
    detect_fails[0] = False
    times = StageTimes()
    with prefetch(_stream(['a'], times)) as pre:
        frames = [p for kind, _, p in pre if kind == FRAME]
    assert [(fi, len(boxes), len(crops))
            for fi, boxes, crops in frames] == [(0, 0, 0), (1, 1, 1),
                                                (2, 2, 2)]
    assert set(times.as_dict()) == {'decode_s', 'detect_s', 'crop_s',
                                    'forward_s'}


def test_a_failing_input_ends_with_failed_and_the_next_goes_on():
    detect_fails[0] = True
    with prefetch(_stream(['a', 'b'])) as pre:
        events = list(pre)
    detect_fails[0] = False
    kinds = [(k, i) for k, i, _ in events]
    assert kinds == [(MEDIA, 0), (FRAME, 0), (FRAME, 0), (FAILED, 0),
                     (MEDIA, 1), (FRAME, 1), (FRAME, 1), (FAILED, 1)]
    assert isinstance(events[3][2], RuntimeError)


def test_other_exceptions_reach_the_consumer():
    with pytest.raises(KeyError, match='decoder bug'):
        _events(['a', 'bug', 'b'])
    with pytest.raises(KeyError, match='decoder bug'):
        list(_stream(['a', 'bug', 'b']))


def test_queue_is_bounded_and_close_stops_the_thread():
    detect_fails[0] = False
    seen = []

    def detect(frame):
        seen.append(1)
        return _detect(frame)

    items = [f'v{i}' for i in range(20)]
    pre = prefetch(FaceStream(items, _decode, detect, _crop, StageTimes()),
                   queue_size=2)
    it = iter(pre)
    next(it)
    time.sleep(0.3)  # let the thread run as far ahead as it can
    assert len(seen) <= 4  # 2 queued events + 1 being put, not 60 frames
    pre.close()
    assert not any(t.name == 'laanet-prefetch' and t.is_alive()
                   for t in threading.enumerate())
    with pytest.raises(ValueError, match='queue_size'):
        prefetch(items, queue_size=0)


def test_prefetch_keeps_any_iterable_in_order():
    with prefetch(iter(range(50)), queue_size=3) as pre:
        assert list(pre) == list(range(50))


def test_frame_faces_one_sample_per_face_back_in_frame_order():
    media = dict(file='v.mp4', indices=[0, 7, 14])
    builder = FrameFaces(media)
    boxes = [
        np.array([[0, 0, 10, 10, 0.9], [20, 0, 24, 4, 0.5]]),
        np.zeros((0, 5)),
        np.array([[1.04, 2, 3, 4.06, 0.12345]]),
    ]
    items = []
    for fi, b in enumerate(boxes):
        crops = [np.full((6, 5, 3), fi, np.uint8) for _ in b]
        items += builder.add_frame(fi, b, crops)
    items += builder.finish()
    assert [(it['frame_idx'], it['video_id'], it['img_shape'])
            for it in items] == [(0, 'v.mp4', (6, 5)), (0, 'v.mp4', (6, 5)),
                                 (14, 'v.mp4', (6, 5))]
    faces = builder.faces_per_frame(['s0', 's1', 's2'])
    samples = [[f['sample'] for f in fr] for fr in faces]
    assert samples == [['s0', 's1'], [], ['s2']]
    assert faces[2][0]['box'] == [1.0, 2.0, 3.0, 4.1]
    assert faces[2][0]['detector_score'] == 0.1235
