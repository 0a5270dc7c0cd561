# Copyright (c) laanet contributors. All rights reserved.
"""ClipSampler: the official per-epoch re-chunking of the clips."""
import numpy as np
import pytest

from laanet.datasets import ClipSampler
from laanet.datasets.clip_index import ClipIndex


class _ClipData:
    """The part of a clip-mode dataset the sampler reads."""

    clip_len = 4

    def __init__(self, lengths):
        ids = [f'v{i}' for i, n in enumerate(lengths) for _ in range(n)]
        paths = [f'{k}.png' for n in lengths for k in range(n)]
        self.clip_index = ClipIndex(ids, paths, 4)

    def __len__(self):
        return len(self.clip_index.chunks())


def test_epoch_zero_starts_at_frame_zero_then_official_offsets():
    data = _ClipData([10, 9, 13, 4])
    sampler = ClipSampler(data, shuffle=False, seed=317)
    assert list(sampler) == [(0, 0), (0, 4), (1, 0), (1, 4), (2, 0), (2, 4),
                             (2, 8), (3, 0)]
    sampler.set_epoch(1)
    # the official np.random.seed(317 + epoch); randint(0, T - 1) per video
    rs = np.random.RandomState(318)
    want = [int(rs.randint(0, 3)) for _ in range(4)]
    assert sampler.offsets(1) == want
    keys = list(sampler)
    assert len(sampler) == len(keys)
    for v, start in keys:
        assert (start - want[v]) % 4 == 0
    drawn = [o for e in range(1, 30) for o in sampler.offsets(e)]
    assert set(drawn) == {0, 1, 2}


def test_shuffle_keeps_the_epoch_set_and_is_reproducible():
    data = _ClipData([12, 8])
    a = ClipSampler(data, shuffle=True, seed=3)
    b = ClipSampler(data, shuffle=True, seed=3)
    a.set_epoch(2)
    b.set_epoch(2)
    assert list(a) == list(b)
    assert sorted(a) == sorted(ClipSampler(data, shuffle=False, seed=3)
                               .epoch_keys(2))


def test_needs_clip_mode():
    with pytest.raises(ValueError, match='clip mode'):
        ClipSampler([1, 2, 3])
