# Copyright (c) laanet contributors. All rights reserved.
"""The benchmark scaffolding: interleaved rounds, clocks, paired ratios."""
import math
import time

import pytest

from laanet.utils.benchmark import (load_average, paired_ratio,
                                    time_interleaved)


def test_rounds_interleave_and_alternate():
    calls = []
    steps = {n: (lambda n=n: calls.append(n) or n.upper()) for n in 'abc'}
    seen = []
    out = time_interleaved(steps, iters=3, warmup=2, alternate=True,
                           on_result=lambda name, r: seen.append((name, r)))
    warm, timed = calls[:6], calls[6:]
    assert warm == list('abcabc')
    # the order flips every other timed round
    assert timed == list('abc') + list('cba') + list('abc')
    assert seen == [(n, n.upper()) for n in timed]
    assert set(out) == set('abc')
    for t in out.values():
        assert len(t.wall_ms) == len(t.cpu_ms) == 3


def test_wall_and_cpu_clocks():
    def sleep():
        time.sleep(0.02)

    def spin():
        end = time.process_time() + 0.02
        while time.process_time() < end:
            pass

    syncs = []
    out = time_interleaved(dict(sleep=sleep, spin=spin), iters=2,
                           sync=lambda: syncs.append(1))
    assert min(out['sleep'].wall_ms) >= 19
    assert max(out['sleep'].cpu_ms) < 10  # sleeping costs no CPU time
    assert min(out['spin'].cpu_ms) >= 19
    # once before the rounds, then before and after each timed call
    assert len(syncs) == 1 + 2 * 2 * 2


def test_progress_wrapper_sees_the_timed_rounds():
    wrapped = []

    def rounds(it, what):
        wrapped.append((len(it), what))
        return it

    time_interleaved(dict(a=lambda: None), iters=4, warmup=1, rounds=rounds)
    assert wrapped == [(4, 'timing')]


def test_bad_arguments():
    with pytest.raises(ValueError, match='at least one step'):
        time_interleaved({}, iters=1)
    with pytest.raises(ValueError, match='iters'):
        time_interleaved(dict(a=lambda: None), iters=0)
    with pytest.raises(ValueError, match='one length'):
        paired_ratio([1.0, 2.0], [1.0])


def test_paired_ratio_is_the_median_of_round_ratios():
    # a load spike in round 2 slows both sides: pairing cancels it
    ours = [10., 40., 10.]
    ref = [20., 80., 30.]
    assert paired_ratio(ref, ours) == 2.0
    assert paired_ratio(ref, ours) != pytest.approx(30. / 10.)
    assert paired_ratio([3.], [2.]) == 1.5


def test_load_average():
    value = load_average()
    assert value >= 0 or math.isnan(value)
