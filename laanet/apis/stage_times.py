# Copyright (c) laanet contributors. All rights reserved.
"""Seconds per inference stage, for ``--profile``."""
import threading
import time
from contextlib import contextmanager
from typing import Dict, Iterator

#: The timed stages of inference, in pipeline order.
STAGES = ('decode', 'detect', 'crop', 'forward')


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
