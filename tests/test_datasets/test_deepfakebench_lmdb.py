# Copyright (c) laanet contributors. All rights reserved.
"""Reading DeepfakeBench LMDB files through mmengine.fileio."""
import numpy as np
import pytest
from mmengine import fileio

from laanet.datasets.deepfakebench_lmdb import (decode_lmdb_landmarks,
                                                make_lmdb_uri,
                                                split_lmdb_uri)


def test_uri_round_trip():
    uri = make_lmdb_uri('/data/lmdb/FF_lmdb', 'FF\\frames/v/000.png')
    assert uri == 'dfblmdb:///data/lmdb/FF_lmdb::FF\\frames/v/000.png'
    assert split_lmdb_uri(uri) == ('/data/lmdb/FF_lmdb',
                                   'FF\\frames/v/000.png')
    with pytest.raises(ValueError, match='Not a DeepfakeBench LMDB URI'):
        split_lmdb_uri('/data/FF/frames/v/000.png')


def test_header_less_landmarks_of_both_platforms():
    lms = np.arange(-10, 152).reshape(81, 2)
    for dtype in (np.int32, np.int64):
        out = decode_lmdb_landmarks(lms.astype(dtype).tobytes(), 'k')
        np.testing.assert_array_equal(out, lms)  # the sign is kept
        assert out.dtype == np.float32
    with pytest.raises(ValueError, match='k: 100 bytes'):
        decode_lmdb_landmarks(b'\0' * 100, 'k')


def test_fileio_reads_keys_and_names_missing_ones(tmp_path):
    import lmdb
    env = lmdb.open(str(tmp_path / 'FF_lmdb'), map_size=1 << 20)
    with env.begin(write=True) as txn:
        txn.put('FF\\frames/v/000.png'.encode(), b'png bytes')
    env.close()
    uri = make_lmdb_uri(str(tmp_path / 'FF_lmdb'), 'FF\\frames/v/000.png')
    assert fileio.get(uri) == b'png bytes'
    with pytest.raises(FileNotFoundError, match="'FF.*001.png' is not in"):
        fileio.get(uri.replace('000', '001'))
    with pytest.raises(FileNotFoundError, match='no data.mdb'):
        fileio.get(make_lmdb_uri(str(tmp_path), 'x'))


def test_forked_dataloader_workers_read_an_environment_open_here(tmp_path):
    """py-lmdb refuses to reopen an environment a forked child inherited
    as open: environments are closed before a fork."""
    import multiprocessing as mp

    import lmdb
    env = lmdb.open(str(tmp_path / 'FF_lmdb'), map_size=1 << 20)
    with env.begin(write=True) as txn:
        txn.put(b'k', b'v')
    env.close()
    uri = make_lmdb_uri(str(tmp_path / 'FF_lmdb'), 'k')
    assert fileio.get(uri) == b'v'  # opened in this process
    ctx = mp.get_context('fork')
    with ctx.Pool(1) as pool:
        assert pool.apply(fileio.get, (uri, )) == b'v'
    assert fileio.get(uri) == b'v'  # reopened here after the fork
