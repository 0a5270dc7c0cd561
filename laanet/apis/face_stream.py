# Copyright (c) laanet contributors. All rights reserved.
"""The faces of the inputs, as one stream of events.

Owns the order of inference's first stages: :class:`FaceStream` decodes
the inputs one after another and detects and crops the faces of each
frame, as one iterator of :class:`FaceEvent`; :func:`prefetch` runs any
iterator in a background thread ahead of its consumer (bounded queue),
so that decoding and detection of the next frames and inputs overlap
with the model. Without it the same events come in the same order,
produced on demand: there is one loop over them
(:class:`~laanet.apis.DeepfakeInferencer`'s), threaded or not.

What the model scores is a *sample builder*'s choice: :class:`FrameFaces`
turns each face of each frame into one model sample (image methods). A
builder for video methods (face tracks over consecutive frames, scored as
clips) plugs in at the same place: it keeps frames in ``add_frame`` and
returns a clip sample once a track has its frames, the rest in
``finish``.

What is done at each stage is the caller's (the inferencer's
``preprocess``, face detector and ``crop_faces``); the stages are timed
in a :class:`~laanet.apis.StageTimes`. An exception raised in the thread
reaches the consumer (re-raised there, with its traceback), never
swallowed.
"""
import queue
import threading
from typing import (Any, Callable, Iterable, Iterator, List, NamedTuple,
                    Optional, Sequence)

import numpy as np

from .media_io import MediaReadError
from .monitors import StageTimes

# Event kinds of FaceStream.
MEDIA, FRAME, DONE, READ_ERROR, FAILED = ('media', 'frame', 'done',
                                          'read_error', 'failed')


class FaceEvent(NamedTuple):
    """One event of a :class:`FaceStream`.

    ``kind`` is :data:`MEDIA` (``payload``: the decoded input),
    :data:`FRAME` (``(frame_index, boxes, crops)``), :data:`DONE`
    (None), :data:`READ_ERROR` (the :class:`MediaReadError`) or
    :data:`FAILED` (the exception of detection or cropping); ``index`` is
    the input's position.
    """
    kind: str
    index: int
    payload: Any


class FaceStream:
    """Decode, detect and crop inputs: an iterable of :class:`FaceEvent`.

    Iterating yields, in input order, per input either
    ``(READ_ERROR, index, MediaReadError)`` or ``(MEDIA, index, media)``,
    then one ``(FRAME, index, (frame_index, boxes, crops))`` per frame and
    ``(DONE, index, None)``; a failure after decoding (in detection or
    cropping) ends the input with ``(FAILED, index, exception)`` instead.
    Any other exception of a stage (e.g. a decoder bug) propagates.

    Args:
        items (Sequence): The inputs (paths or arrays; or decoded media
            with ``decode`` the identity).
        decode (Callable): ``decode(item) -> media`` (``frames`` inside);
            raises :class:`MediaReadError` for unreadable inputs.
        detect (Callable): ``detect(frame) -> (K, 5) boxes``.
        crop (Callable): ``crop(frame, boxes) -> list`` of face crops.
        times (StageTimes, optional): Where the stage times go.
    """

    def __init__(self,
                 items: Sequence,
                 decode: Callable[[Any], dict],
                 detect: Callable[[np.ndarray], np.ndarray],
                 crop: Callable[[np.ndarray, np.ndarray], List],
                 times: Optional[StageTimes] = None) -> None:
        self.items = list(items)
        self.decode = decode
        self.detect = detect
        self.crop = crop
        self.times = times or StageTimes()

    def __iter__(self) -> Iterator[FaceEvent]:
        for index, item in enumerate(self.items):
            try:
                with self.times.time('decode'):
                    media = self.decode(item)
            except MediaReadError as err:
                yield FaceEvent(READ_ERROR, index, err)
                continue
            yield from self._faces(index, media)

    def _faces(self, index: int, media: dict) -> Iterator[FaceEvent]:
        """The events of one decoded input."""
        yield FaceEvent(MEDIA, index, media)
        try:
            for fi, frame in enumerate(media['frames']):
                with self.times.time('detect'):
                    boxes = np.asarray(self.detect(frame)).reshape(-1, 5)
                with self.times.time('crop'):
                    crops = self.crop(frame, boxes)
                yield FaceEvent(FRAME, index, (fi, boxes, crops))
        except Exception as err:  # recorded per input by the consumer
            yield FaceEvent(FAILED, index, err)
            return
        yield FaceEvent(DONE, index, None)


class Prefetcher:
    """Iterate an iterable in a background thread, ``queue_size`` ahead.

    Made by :func:`prefetch`. Use it as a context manager, or call
    :meth:`close`, so that a consumer that stops early also stops the
    thread. An exception of the iterable is re-raised by the iterator and
    stops the thread.

    Args:
        iterable (Iterable): What to iterate.
        queue_size (int): Items produced ahead at most (the thread then
            blocks, so memory stays bounded). Defaults to 8.
    """
    _ITEM, _RAISE, _END = 'item', 'raise', 'end'

    def __init__(self, iterable: Iterable, queue_size: int = 8) -> None:
        if queue_size < 1:
            raise ValueError(f'queue_size must be >= 1, got {queue_size}')
        self.iterable = iterable
        self._queue: queue.Queue = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name='laanet-prefetch', daemon=True)
        self._started = False

    def _put(self, entry: tuple) -> bool:
        """Queue an entry; False once the consumer has closed."""
        while not self._stop.is_set():
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        """The thread: every item in turn, then the end marker."""
        it = iter(self.iterable)
        try:
            for item in it:
                if not self._put((self._ITEM, item)):
                    return
        except BaseException as err:  # reaches the consumer, re-raised
            self._put((self._RAISE, err))
            return
        finally:
            if hasattr(it, 'close'):
                it.close()
        self._put((self._END, None))

    def __iter__(self) -> Iterator:
        if not self._started:
            self._started = True
            self._thread.start()
        while True:
            kind, value = self._queue.get()
            if kind == self._END:
                return
            if kind == self._RAISE:
                raise value
            yield value

    def close(self) -> None:
        """Stop the thread (it ends at its next queue operation or item)
        and wait for it."""
        self._stop.set()
        if self._started:
            self._thread.join()

    def __enter__(self) -> 'Prefetcher':
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def prefetch(iterable: Iterable, queue_size: int = 8) -> Prefetcher:
    """Run ``iterable`` in a background thread, ``queue_size`` items
    ahead of the consumer; the items and their order are unchanged.

    Args:
        iterable (Iterable): E.g. a :class:`FaceStream`.
        queue_size (int): Items waiting at most. Defaults to 8.

    Returns:
        Prefetcher: An iterable context manager.
    """
    return Prefetcher(iterable, queue_size)


def box_entry(box: np.ndarray) -> dict:
    """A detected face's ``box`` (x0, y0, x1, y1, rounded to 0.1 px) and
    ``detector_score`` (rounded to 1e-4), as results report them."""
    return dict(
        box=[round(float(v), 1) for v in box[:4]],
        detector_score=round(float(box[4]), 4))


def sample_input(media: dict, img, frame_idx: int, **extra) -> dict:
    """The test pipeline's input of one sample of a decoded input.

    Args:
        media (dict): The decoded input (``file``).
        img (np.ndarray | list[np.ndarray]): A face crop, or the T crops
            of a clip (``img_path`` then names the file once per frame).
        frame_idx (int): The (first) frame's index in the input.
        **extra: More keys (e.g. ``frame_indices``).

    Returns:
        dict: ``img``, ``gt_label=-1`` (unknown), ``img_path``,
        ``video_id`` (the input's file), ``frame_idx``, ``ori_shape`` and
        ``img_shape`` (the crop's), and ``extra``.
    """
    clip = isinstance(img, list)
    shape = (img[0] if clip else img).shape[:2]
    return dict(
        img=img,
        gt_label=-1,
        img_path=[media['file']] * len(img) if clip else media['file'],
        video_id=media['file'],
        frame_idx=frame_idx,
        ori_shape=shape,
        img_shape=shape,
        **extra)


class FrameFaces:
    """Sample builder of image methods: one model sample per face of a
    frame, a frame's samples ready as soon as the frame is added.

    One builder serves one decoded input; its frames are added in order.

    Args:
        media (dict): The decoded input (``file``, ``indices``).
    """

    def __init__(self, media: dict) -> None:
        self.media = media
        self.boxes: List[np.ndarray] = []

    def add_frame(self, frame_index: int, boxes: np.ndarray,
                  crops: list) -> List[dict]:
        """The model inputs of one frame's faces.

        Args:
            frame_index (int): The frame's position in ``media['frames']``.
            boxes (np.ndarray): Its (K, 5) face boxes.
            crops (list): Its K face crops (BGR uint8).

        Returns:
            list[dict]: Per face, ``img`` and the meta keys of the test
            pipeline's input.
        """
        self.boxes.append(boxes)
        return [
            sample_input(self.media, img, self.media['indices'][frame_index])
            for img in crops
        ]

    def finish(self) -> List[dict]:
        """The samples still waiting at the end of the input: none, each
        frame's were returned by :meth:`add_frame`.

        Returns:
            list[dict]: An empty list.
        """
        return []

    def faces_per_frame(self, samples: Sequence) -> List[List[dict]]:
        """Attach the scored samples to their frames and boxes.

        Args:
            samples (Sequence[DeepfakeDataSample]): The predictions, in
                the order of :meth:`add_frame`'s inputs.

        Returns:
            list[list[dict]]: Per frame, per face: ``box`` (x0, y0, x1,
            y1, rounded to 0.1 px), ``detector_score`` and ``sample``.
        """
        it = iter(samples)
        return [[dict(box_entry(box), sample=next(it)) for box in boxes]
                for boxes in self.boxes]
