# Copyright (c) laanet contributors. All rights reserved.
"""Atomic writes: the content arrives whole, or the old file stays."""
import csv
import json

import numpy as np
import pytest
import torch

from laanet.utils.media import (atomic_dump_json, atomic_torch_save,
                                atomic_write, atomic_write_csv,
                                atomic_write_image, atomic_write_text)


def test_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / 'out.txt'
    atomic_write_text(str(path), 'old\n')

    def crash(f):
        f.write('half')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(str(path), crash)
    assert path.read_text() == 'old\n'
    assert [p.name for p in tmp_path.iterdir()] == ['out.txt']


def test_json_csv_text(tmp_path):
    atomic_dump_json(dict(a=[1, 2]), str(tmp_path / 'sub' / 'a.json'))
    assert json.loads((tmp_path / 'sub' / 'a.json').read_text()) == dict(
        a=[1, 2])
    rows = (dict(x=i, y=str(i) * 2, z='extra') for i in range(3))
    atomic_write_csv(
        str(tmp_path / 'r.csv'), ('x', 'y'), rows, extrasaction='ignore')
    with open(tmp_path / 'r.csv', newline='') as f:
        assert list(csv.DictReader(f)) == [
            dict(x=str(i), y=str(i) * 2) for i in range(3)
        ]
    atomic_write_text(str(tmp_path / 't.md'), 'a\r\nb\n')
    assert (tmp_path / 't.md').read_bytes() == b'a\r\nb\n'


def test_image_round_trip(tmp_path):
    img = np.random.default_rng(0).integers(0, 256, (5, 7, 3), np.uint8)
    atomic_write_image(str(tmp_path / 'i.png'), img)
    import cv2
    assert np.array_equal(cv2.imread(str(tmp_path / 'i.png')), img)


def test_torch_save_loads_and_is_reproducible(tmp_path):
    obj = dict(state_dict=dict(w=torch.arange(6.).reshape(2, 3)))
    atomic_torch_save(obj, str(tmp_path / 'a.pth'))
    atomic_torch_save(obj, str(tmp_path / 'b.pth'))
    loaded = torch.load(str(tmp_path / 'a.pth'), weights_only=True)
    assert torch.equal(loaded['state_dict']['w'], obj['state_dict']['w'])
    # same object, same bytes whatever the file name
    assert (tmp_path / 'a.pth').read_bytes() == (tmp_path /
                                                 'b.pth').read_bytes()
