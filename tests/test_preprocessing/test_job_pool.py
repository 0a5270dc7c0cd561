# Copyright (c) laanet contributors. All rights reserved.
"""run_jobs: the same results in this process and in a pool."""
import pytest

from laanet.preprocessing.job_pool import run_jobs

_OFFSET = {}


def _init(offset):
    _OFFSET['value'] = offset


def _work(x):
    if x < 0:
        raise ValueError(f'job {x} failed')
    return x * x + _OFFSET['value']


@pytest.mark.parametrize(
    'workers', [1, pytest.param(2, marks=pytest.mark.slow)])  # slow: spawn
def test_results_in_job_order(workers):
    got = list(run_jobs(_work, [3, 1, 2], workers, _init, (10, ), 'test',
                        progress=False))
    assert got == [19, 11, 14]


@pytest.mark.slow
def test_unordered_yields_every_result():
    got = run_jobs(_work, list(range(5)), 2, _init, (0, ), 'test',
                   progress=False, ordered=False)
    assert sorted(got) == [0, 1, 4, 9, 16]


@pytest.mark.slow
def test_a_failing_job_propagates():
    with pytest.raises(ValueError, match='job -1 failed'):
        list(run_jobs(_work, [1, -1, 2], 2, _init, (0, ), 'test',
                      progress=False))
