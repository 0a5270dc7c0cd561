# Copyright (c) laanet contributors. All rights reserved.
"""The scaffolding the benchmark scripts share (``tools/analysis_tools/``).

Interleaved timing of several steps (each timed round runs every step once,
so a change in the machine's load hits all of them alike), wall-clock and
CPU-time medians, paired speed-ups and the load average. Results are written
with :func:`laanet.utils.media.atomic_dump_json`.
"""
import os
import statistics
import time
from typing import Any, Callable, Dict, Iterable, List, NamedTuple, Optional

#: A step's result handed to ``on_result(name, result)``.
ResultCallback = Callable[[str, Any], None]


class Timings(NamedTuple):
    """The timed calls of one step, in milliseconds, in call order."""

    wall_ms: List[float]
    cpu_ms: List[float]


def time_interleaved(steps: Dict[str, Callable[[], Any]],
                     iters: int,
                     warmup: int = 0,
                     sync: Optional[Callable[[], None]] = None,
                     alternate: bool = False,
                     on_result: Optional[ResultCallback] = None,
                     rounds: Optional[Callable[[Iterable, str],
                                               Iterable]] = None
                     ) -> Dict[str, Timings]:
    """Time ``steps`` in interleaved rounds.

    ``warmup`` untimed rounds, then ``iters`` timed rounds; each round calls
    every step once. Wall clock is ``time.perf_counter``, CPU time
    ``time.process_time`` (this process, every thread).

    Args:
        steps (dict[str, Callable]): The steps, by name, called without
            arguments.
        iters (int): Timed rounds.
        warmup (int): Untimed rounds first. Defaults to 0.
        sync (Callable, optional): Called before starting and before
            stopping each clock (e.g. ``torch.cuda.synchronize``).
            Defaults to None.
        alternate (bool): Reverse the order of the steps every other round,
            so that no step always runs right after the same other one (a
            cache or a thread pool warmed by the step before). Defaults to
            False.
        on_result (Callable, optional): Called as ``on_result(name,
            result)`` after each timed call, outside the clock. Defaults to
            None.
        rounds (Callable, optional): Wraps the iterable of timed rounds, as
            ``rounds(range(iters), 'timing')`` (a progress bar such as
            ``rich.progress.track``). Defaults to None.

    Returns:
        dict[str, Timings]: Per step, the timed calls.

    Raises:
        ValueError: If there are no steps or ``iters`` < 1.
    """
    if not steps:
        raise ValueError('time_interleaved needs at least one step')
    if iters < 1:
        raise ValueError(f'iters must be >= 1, got {iters}')
    sync = sync or (lambda: None)
    names = list(steps)
    for _ in range(warmup):
        for name in names:
            steps[name]()
    sync()
    out = {name: Timings([], []) for name in names}
    timed = range(iters)
    if rounds is not None:
        timed = rounds(timed, 'timing')
    for i in timed:
        order = names[::-1] if alternate and i % 2 else names
        for name in order:
            sync()
            start, cpu_start = time.perf_counter(), time.process_time()
            result = steps[name]()
            sync()
            out[name].wall_ms.append((time.perf_counter() - start) * 1000)
            out[name].cpu_ms.append((time.process_time() - cpu_start) * 1000)
            if on_result is not None:
                on_result(name, result)
    return out


def paired_ratio(numerator: List[float], denominator: List[float]) -> float:
    """The median of the per-round ratios ``numerator[i] / denominator[i]``.

    Pairing the rounds cancels a load change that hits both steps of a
    round, which a ratio of medians does not.

    Args:
        numerator (list[float]): One step's times.
        denominator (list[float]): Another's, from the same rounds.

    Returns:
        float: The median ratio.

    Raises:
        ValueError: If the lists differ in length or are empty.
    """
    if len(numerator) != len(denominator) or not numerator:
        raise ValueError('paired_ratio needs two non-empty lists of one '
                         f'length, got {len(numerator)} and '
                         f'{len(denominator)}')
    return statistics.median(a / b for a, b in zip(numerator, denominator))


def load_average() -> float:
    """The 1-minute load average (NaN where the system has none).

    Returns:
        float: ``os.getloadavg()[0]``.
    """
    try:
        return os.getloadavg()[0]
    except OSError:  # pragma: no cover - platforms without a load average
        return float('nan')
