# Copyright (c) laanet contributors. All rights reserved.
"""Observers of the inference loop: its progress and its stage times.

One progress vocabulary: inputs done, and the frames of the input being
scored (``progress('frames', done, total)``), whether decoding and
detection run ahead in a thread or not. :class:`StageTimes` sums the
seconds per stage for ``--profile``.
"""
import os.path as osp
import threading
import time
from contextlib import contextmanager
from typing import Callable, Dict, Iterator, Optional

from rich.progress import Progress

#: The timed stages of inference, in pipeline order.
STAGES = ('decode', 'detect', 'crop', 'forward')

#: ``progress(stage, done, total)``, e.g. the web app's bar.
ProgressCallback = Callable[[str, int, int], None]


class StageTimes:
    """Seconds spent in each stage, summed over frames and inputs.

    Stages running in different threads overlap, so their sum may exceed
    the wall clock; the difference is what the overlap saved.
    """

    def __init__(self) -> None:
        self.seconds: Dict[str, float] = dict.fromkeys(STAGES, 0.)
        self._lock = threading.Lock()

    @contextmanager
    def time(self, stage: str) -> Iterator[None]:
        """Add the time spent inside the context to ``stage``.

        Args:
            stage (str): One of :data:`STAGES`.
        """
        start = time.perf_counter()
        try:
            yield
        finally:
            with self._lock:
                self.seconds[stage] += time.perf_counter() - start

    def as_dict(self) -> Dict[str, float]:
        """``<stage>_s`` for every stage, rounded to the millisecond.

        Returns:
            dict[str, float]: Seconds per stage.
        """
        with self._lock:
            return {f'{k}_s': round(v, 3) for k, v in self.seconds.items()}


class InferenceProgress:
    """Progress bars for the inputs (when there are several) and for the
    frames of the input being scored.

    A context manager; with ``enabled=False`` no bar is shown.

    Args:
        num_inputs (int): Inputs to score.
        enabled (bool): Show the bars. Defaults to True.
        callback (callable, optional): Also called as ``callback('frames',
            done, total)`` after each frame of an input (the ``progress``
            of ``DeepfakeInferencer.__call__``, e.g. the web app's bar),
            shown or not. Defaults to None.
    """

    def __init__(self,
                 num_inputs: int,
                 enabled: bool = True,
                 callback: Optional[ProgressCallback] = None) -> None:
        self.num_inputs = num_inputs
        self.enabled = enabled
        self.callback = callback
        self._progress: Optional[Progress] = None
        self._inputs = self._frames = None
        self._frame_count = [0, 0]  # done, total of the current input

    def __enter__(self) -> 'InferenceProgress':
        if self.enabled:
            self._progress = Progress(transient=False)
            self._progress.__enter__()
            if self.num_inputs > 1:
                self._inputs = self._progress.add_task(
                    'Inputs', total=self.num_inputs)
        return self

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc_info)
            self._progress = None

    def start_media(self, media: dict) -> None:
        """A new input was decoded: a bar over its frames (several only).

        Args:
            media (dict): The decoded input (``file``, ``frames``).
        """
        self._frame_count = [0, len(media['frames'])]
        if self._progress is None:
            return
        if self._frames is not None:
            self._progress.remove_task(self._frames)
            self._frames = None
        if len(media['frames']) > 1:
            self._frames = self._progress.add_task(
                f'Frames of {osp.basename(media["file"])}',
                total=len(media['frames']))

    def frame_done(self) -> None:
        """A frame's faces were queued for (or sent to) the model."""
        self._frame_count[0] += 1
        if self.callback is not None:
            self.callback('frames', *self._frame_count)
        if self._progress is not None and self._frames is not None:
            self._progress.advance(self._frames)

    def input_done(self) -> None:
        """An input got its result."""
        if self._progress is not None and self._inputs is not None:
            self._progress.advance(self._inputs)
