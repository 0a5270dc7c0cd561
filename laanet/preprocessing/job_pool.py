# Copyright (c) laanet contributors. All rights reserved.
"""Run preparation jobs in this process or in a pool, with a progress bar.

The one place that starts, drains and always closes the worker pool and the
bar of the offline tools (face extraction, landmark annotation).
"""
import multiprocessing as mp
from typing import Any, Callable, Iterator, Sequence


def run_jobs(work: Callable[[Any], Any],
             jobs: Sequence,
             workers: int,
             init: Callable[..., None],
             init_args: tuple,
             desc: str,
             progress: bool = True,
             ordered: bool = True) -> Iterator[Any]:
    """Yield ``work(job)`` for every job.

    With one worker the jobs run here, after ``init(*init_args)``; with more,
    in a ``spawn`` pool whose workers each run ``init`` first. The pool and
    the bar are closed however the loop ends (an error, a consumer that
    stops early).

    Args:
        work (Callable): A module-level function (picklable).
        jobs (Sequence): Its inputs.
        workers (int): Processes; 1 runs in this process.
        init (Callable): Per-worker set-up (module-level).
        init_args (tuple): Its arguments.
        desc (str): The progress bar's label.
        progress (bool): Show a tqdm bar. Defaults to True.
        ordered (bool): Yield in job order (``imap``); False yields as jobs
            finish (``imap_unordered``). Defaults to True.

    Yields:
        The results.
    """
    bar = None
    if progress:
        from tqdm import tqdm
        bar = tqdm(total=len(jobs), desc=desc, unit='video')
    if workers == 1:
        init(*init_args)
        it, pool = map(work, jobs), None
    else:
        pool = mp.get_context('spawn').Pool(workers, init, init_args)
        imap = pool.imap if ordered else pool.imap_unordered
        it = imap(work, jobs, chunksize=1)
    try:
        for res in it:
            yield res
            if bar is not None:
                bar.update(1)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if bar is not None:
            bar.close()
