# Copyright (c) laanet contributors. All rights reserved.
"""Decode and detect ahead of the model: the overlapped inference stages.

Owns :class:`MediaPrefetcher`, a background thread
that decodes the inputs one after another, detects and crops the faces of
each frame, and hands them to the consumer (the model's thread) through a
bounded queue, so that decoding and detection of the next frames and
inputs run while the model scores the current ones. What is done at each
stage is the caller's (:class:`~laanet.apis.DeepfakeInferencer`'s
``preprocess``, face detector and ``crop_faces``); this module only runs
them ahead and in order (timed in a :class:`~laanet.apis.StageTimes`).
An exception raised in the thread reaches the consumer (re-raised there,
with its traceback), never swallowed.
"""
import queue
import threading
from typing import Any, Callable, Iterator, List, Sequence, Tuple

import numpy as np

from .media_io import MediaReadError
from .stage_times import StageTimes

# Event kinds of MediaPrefetcher.
MEDIA, FRAME, DONE, READ_ERROR, FAILED = ('media', 'frame', 'done',
                                          'read_error', 'failed')
_RAISE, _END = 'raise', 'end'


class MediaPrefetcher:
    """Decode, detect and crop inputs in a background thread.

    Iterating yields, in input order, per input either
    ``(READ_ERROR, index, MediaReadError)`` or ``(MEDIA, index, media)``,
    then one ``(FRAME, index, (frame_index, boxes, crops))`` per frame and
    ``(DONE, index, None)``; a failure after decoding (in detection or
    cropping) ends the input with ``(FAILED, index, exception)`` instead.
    Any other exception of a stage (e.g. a decoder bug) is re-raised by
    the iterator and stops the thread.

    At most ``queue_size`` events wait in the queue: the thread runs that
    far ahead of the consumer and then blocks, so memory stays bounded
    (a decoded input's frames are held by its ``MEDIA`` event). Use it as
    a context manager, or call :meth:`close`, so that a consumer that
    stops early also stops the thread.

    Args:
        items (Sequence): The inputs (paths or arrays).
        decode (Callable): ``decode(item) -> media`` (``frames`` inside);
            raises :class:`MediaReadError` for unreadable inputs.
        detect (Callable): ``detect(frame) -> (K, 5) boxes``.
        crop (Callable): ``crop(frame, boxes) -> list`` of face crops.
        times (StageTimes): Where the stage times go.
        queue_size (int): Events buffered ahead. Defaults to 8.
    """

    def __init__(self,
                 items: Sequence,
                 decode: Callable[[Any], dict],
                 detect: Callable[[np.ndarray], np.ndarray],
                 crop: Callable[[np.ndarray, np.ndarray], List],
                 times: StageTimes,
                 queue_size: int = 8) -> None:
        if queue_size < 1:
            raise ValueError(f'queue_size must be >= 1, got {queue_size}')
        self.items = list(items)
        self.decode = decode
        self.detect = detect
        self.crop = crop
        self.times = times
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name='laanet-media-prefetcher', daemon=True)
        self._started = False

    # -- producer ------------------------------------------------------
    def _put(self, event: Tuple) -> bool:
        """Queue an event; False once the consumer has closed."""
        while not self._stop.is_set():
            try:
                self._queue.put(event, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self, index: int, item: Any) -> bool:
        """The events of one input; False once the consumer has closed."""
        try:
            with self.times.time('decode'):
                media = self.decode(item)
        except MediaReadError as err:
            return self._put((READ_ERROR, index, err))
        if not self._put((MEDIA, index, media)):
            return False
        try:
            for fi, frame in enumerate(media['frames']):
                with self.times.time('detect'):
                    boxes = np.asarray(self.detect(frame)).reshape(-1, 5)
                with self.times.time('crop'):
                    crops = self.crop(frame, boxes)
                if not self._put((FRAME, index, (fi, boxes, crops))):
                    return False
        except Exception as err:  # recorded per input, like predict_media
            return self._put((FAILED, index, err))
        return self._put((DONE, index, None))

    def _run(self) -> None:
        """The thread: every input in turn, then the end marker."""
        try:
            for index, item in enumerate(self.items):
                if not self._produce(index, item):
                    return
        except BaseException as err:  # reaches the consumer, re-raised
            self._put((_RAISE, None, err))
            return
        self._put((_END, None, None))

    # -- consumer ------------------------------------------------------
    def __iter__(self) -> Iterator[Tuple[str, int, Any]]:
        if not self._started:
            self._started = True
            self._thread.start()
        while True:
            kind, index, payload = self._queue.get()
            if kind == _END:
                return
            if kind == _RAISE:
                raise payload
            yield kind, index, payload

    def close(self) -> None:
        """Stop the thread (it ends at its next queue operation or stage)
        and wait for it."""
        self._stop.set()
        if self._started:
            self._thread.join()

    def __enter__(self) -> 'MediaPrefetcher':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
