# Copyright (c) laanet contributors. All rights reserved.
from collections import Counter

import pytest

from laanet.datasets.samplers import epoch_list_sampler
from laanet.registry import DATA_SAMPLERS


class ToyDataset:
    """40 frames of video 'a', 20 of 'b', 3 of 'c', interleaved."""

    def __init__(self):
        self.ids = ['a'] * 40 + ['b'] * 20 + ['c'] * 3
        self.logged = []

    def __len__(self):
        return len(self.ids)

    def get_video_ids(self):
        return self.ids

    def log_failed_count(self, epoch):
        self.logged.append(epoch)
        return 0


def build(ds, **kw):
    return DATA_SAMPLERS.build(dict(type='VideoFrameSampler', dataset=ds,
                                    **kw))


def test_n_frames_per_video_each_epoch():
    ds = ToyDataset()
    s = build(ds, frames_per_video=8, seed=0)
    assert len(s) == 8 + 8 + 3
    for epoch in range(3):
        s.set_epoch(epoch)
        idx = list(s)
        assert len(idx) == len(s) == len(set(idx))
        per_video = Counter(ds.ids[i] for i in idx)
        assert per_video == {'a': 8, 'b': 8, 'c': 3}


def test_resampled_every_epoch_and_reproducible():
    ds = ToyDataset()
    s = build(ds, frames_per_video=8, seed=3)
    s.set_epoch(0)
    e0 = list(s)
    s.set_epoch(1)
    e1 = list(s)
    assert set(e0) != set(e1)  # a new frame subset, not just a new order
    # The dataset's failure count of the finished epoch 0 is logged.
    assert ds.logged == [0]
    other = build(ds, frames_per_video=8, seed=3)
    other.set_epoch(1)
    assert list(other) == e1
    other.set_epoch(0)
    assert list(other) == e0
    assert list(build(ds, frames_per_video=8, seed=4)) != e0


def test_no_shuffle_keeps_video_order_and_replacement():
    ds = ToyDataset()
    idx = list(build(ds, frames_per_video=4, shuffle=False, seed=0))
    assert [ds.ids[i] for i in idx] == ['a'] * 4 + ['b'] * 4 + ['c'] * 3
    rep = build(ds, frames_per_video=5, seed=0, replacement=True)
    assert len(rep) == 15
    assert Counter(ds.ids[i] for i in rep) == {'a': 5, 'b': 5, 'c': 5}
    with pytest.raises(ValueError):
        build(ds, frames_per_video=0)


def test_distributed_partition(monkeypatch):
    ds = ToyDataset()
    parts = []
    for rank in range(2):
        monkeypatch.setattr(epoch_list_sampler, 'get_dist_info',
                            lambda r=rank: (r, 2))
        s = build(ds, frames_per_video=8, seed=0)
        s.set_epoch(2)
        parts.append(list(s))
        assert len(s) == 10  # 19 padded to 20, split in two
    full = s.epoch_indices(2)
    assert sorted(parts[0] + parts[1]) == sorted(full + full[:1])


@pytest.mark.parametrize('replacement', [False, True])
def test_official_sbi_keeps_its_frame_subset_and_reshuffles(replacement):
    ds = ToyDataset()
    s = build(ds, frames_per_video=8, seed=3, replacement=replacement,
              redraw_each_epoch=False)
    epochs = []
    for epoch in range(3):
        s.set_epoch(epoch)
        epochs.append(list(s))
    # the same frames (with their repeats) every epoch, in a new order
    assert all(Counter(e) == Counter(epochs[0]) for e in epochs[1:])
    assert epochs[1] != epochs[0] and epochs[2] != epochs[1]
    # the subset is the redrawing sampler's epoch-0 subset
    redraw = build(ds, frames_per_video=8, seed=3, replacement=replacement)
    redraw.set_epoch(0)
    assert Counter(redraw) == Counter(epochs[0])


def test_even_pick_is_sbi_subset_fixed_and_reshuffled():
    """SBI's init_ff: np.linspace(0, n - 1, 8) rounded, every epoch."""
    import numpy as np
    ds = ToyDataset()
    s = build(ds, frames_per_video=8, seed=0, frame_pick='even')
    e0, e1 = s.epoch_indices(0), s.epoch_indices(1)
    assert sorted(e0) == sorted(e1) and e0 != e1
    want = [int(i) for i in np.linspace(0, 39, 8).round()]
    want += [40 + int(i) for i in np.linspace(0, 19, 8).round()]
    want += [60, 61, 62]  # 'c' has 3 frames: all of them
    assert sorted(e0) == sorted(want)
    assert len(s) == 19
    with pytest.raises(ValueError, match='replacement'):
        build(ds, frame_pick='even', replacement=True)
    with pytest.raises(ValueError, match='frame_pick'):
        build(ds, frame_pick='middle')
