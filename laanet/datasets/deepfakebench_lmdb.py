# Copyright (c) laanet contributors. All rights reserved.
"""Read DeepfakeBench LMDB files through MMEngine's file I/O.

DeepfakeBench (``preprocessing/dataset2lmdb_test.py``) writes one LMDB
environment per data set, ``<lmdb_dir>/<Dataset>_lmdb``, keyed by
``"<Dataset>\\" + <path relative to the data set folder>`` (only the first
separator is a backslash; the rest are the writer's OS separator). Image
values are the PNG file bytes; ``.npy`` values are the array bytes without
the npy header.

:class:`DeepfakeBenchLmdbBackend` is registered as an MMEngine file backend
for the URI prefix ``dfblmdb``: a sample's ``img_path`` of the form
``dfblmdb://<environment path>::<key>`` is then read by
``LoadImageFromFile`` (or any ``mmengine.fileio.get``) with no change to a
pipeline.
"""
import os
from typing import Dict, Optional, Tuple

import numpy as np
from mmengine.fileio import BaseStorageBackend, register_backend

LMDB_URI_PREFIX = 'dfblmdb'
_SEP = '::'


def make_lmdb_uri(env_path: str, key: str) -> str:
    """The ``dfblmdb://`` URI of ``key`` in the environment ``env_path``.

    Args:
        env_path (str): The LMDB environment folder.
        key (str): The key, as stored.

    Returns:
        str: ``dfblmdb://<env_path>::<key>``.
    """
    return f'{LMDB_URI_PREFIX}://{os.path.abspath(env_path)}{_SEP}{key}'


def split_lmdb_uri(uri: str) -> Tuple[str, str]:
    """Split a ``dfblmdb://`` URI into the environment path and the key.

    Args:
        uri (str): A URI made by :func:`make_lmdb_uri`.

    Returns:
        tuple[str, str]: ``(env_path, key)``.

    Raises:
        ValueError: If ``uri`` is not such a URI.
    """
    head = f'{LMDB_URI_PREFIX}://'
    if not str(uri).startswith(head) or _SEP not in str(uri):
        raise ValueError(f'Not a DeepfakeBench LMDB URI '
                         f'({head}<env>{_SEP}<key>): {uri}')
    env_path, key = str(uri)[len(head):].split(_SEP, 1)
    return env_path, key


# environments opened by this process, keyed by (pid, path). An LMDB
# handle must not cross a fork (py-lmdb refuses to open an environment a
# forked child inherited as open), so every one is closed before a fork
# (dataloader workers); each process reopens what it reads.
_ENVS: Dict[Tuple[int, str], object] = {}


def close_lmdb_envs() -> None:
    """Close every environment this process opened."""
    for env in _ENVS.values():
        env.close()
    _ENVS.clear()


if hasattr(os, 'register_at_fork'):
    os.register_at_fork(before=close_lmdb_envs)


def open_lmdb(env_path: str):
    """Open (once per process) a read-only LMDB environment.

    Args:
        env_path (str): The environment folder.

    Returns:
        lmdb.Environment: The environment.

    Raises:
        ImportError: If the ``lmdb`` package is missing.
        FileNotFoundError: If ``env_path`` is not an LMDB folder.
    """
    key = (os.getpid(), env_path)
    env = _ENVS.get(key)
    if env is None:
        try:
            import lmdb
        except ImportError as err:
            raise ImportError('Reading DeepfakeBench LMDB files needs the '
                              'lmdb package: pip install lmdb') from err
        if not os.path.isfile(os.path.join(env_path, 'data.mdb')):
            raise FileNotFoundError(
                f'{env_path} is not a DeepfakeBench LMDB environment (no '
                'data.mdb in it)')
        env = lmdb.open(
            env_path,
            readonly=True,
            lock=False,
            readahead=False,
            subdir=True,
            max_readers=512)
        _ENVS[key] = env
    return env


def lmdb_get(env_path: str, key: str) -> Optional[bytes]:
    """The value of ``key`` in ``env_path``, or None when absent.

    Args:
        env_path (str): The environment folder.
        key (str): The key.

    Returns:
        bytes | None: The stored bytes.
    """
    with open_lmdb(env_path).begin(write=False, buffers=False) as txn:
        return txn.get(key.encode('utf-8'))


def lmdb_has(env_path: str, key: str) -> bool:
    """Whether ``key`` is in ``env_path``, without copying its value.

    Args:
        env_path (str): The environment folder.
        key (str): The key.

    Returns:
        bool: True if the key is stored.
    """
    with open_lmdb(env_path).begin(write=False, buffers=True) as txn:
        return txn.get(key.encode('utf-8')) is not None


def lmdb_locate(lmdb_dir: str, norm: str,
                styles_seen: Dict[str, str]) -> Tuple[str, Optional[str]]:
    """The environment and key of a normalised JSON path.

    The environment is ``<lmdb_dir>/<first folder>_lmdb``. Keys are
    ``<Dataset>\\<rest>`` with the writer's separators: ``/`` after the
    first one when written on Linux, ``\\`` throughout on Windows (plain
    ``/`` paths are tried too). The convention found first is remembered
    per environment in ``styles_seen``.

    Args:
        lmdb_dir (str): DeepfakeBench's ``lmdb_dir``.
        norm (str): A path with ``/`` separators, relative to ``rgb_dir``.
        styles_seen (dict): Environment path to the convention found.

    Returns:
        tuple[str, str | None]: The environment path and the key (None if
        no convention finds the path).
    """
    first, _, rest = norm.partition('/')
    env = os.path.join(lmdb_dir, first + '_lmdb')
    styles = {
        'linux': f'{first}\\{rest}',
        'windows': norm.replace('/', '\\'),
        'posix': norm
    }
    known = styles_seen.get(env)
    if known is not None:
        return env, styles[known]
    for style, key in styles.items():
        if lmdb_has(env, key):
            styles_seen[env] = style
            return env, key
    return env, None


def decode_lmdb_landmarks(buf: bytes, where: str) -> np.ndarray:
    """Decode a header-less landmark array stored by DeepfakeBench.

    DeepfakeBench stores ``np.load(path).tobytes()`` of a (81, 2) array of
    the platform ``int``: int32 when written on Windows (648 bytes), int64
    on Linux (1296 bytes). Its own reader takes every value as uint32, which
    turns negative coordinates (forehead points above the crop) into huge
    numbers and fails on int64 data; here the width is taken from the size
    and the sign is kept.

    Args:
        buf (bytes): The stored value.
        where (str): The key, for the error message.

    Returns:
        np.ndarray: (81, 2) float32 landmarks.

    Raises:
        ValueError: If the size fits neither layout.
    """
    sizes = {81 * 2 * 4: np.int32, 81 * 2 * 8: np.int64}
    dtype = sizes.get(len(buf))
    if dtype is None:
        raise ValueError(
            f'LMDB landmarks {where}: {len(buf)} bytes, expected 648 '
            '(81x2 int32) or 1296 (81x2 int64)')
    return np.frombuffer(buf, dtype=dtype).reshape(81, 2).astype(np.float32)


class DeepfakeBenchLmdbBackend(BaseStorageBackend):
    """MMEngine file backend for ``dfblmdb://<env>::<key>`` URIs.

    Registered for the prefix ``dfblmdb``, so ``mmengine.fileio.get`` and
    ``LoadImageFromFile`` read such paths with no ``backend_args``.
    Environments are opened read-only, once per process.
    """

    def get(self, filepath: str) -> bytes:
        """Read the bytes of a key.

        Args:
            filepath (str): A ``dfblmdb://`` URI.

        Returns:
            bytes: The stored value.

        Raises:
            FileNotFoundError: Naming the key and the environment when the
                key is absent.
        """
        env_path, key = split_lmdb_uri(filepath)
        value = lmdb_get(env_path, key)
        if value is None:
            raise FileNotFoundError(f'{key!r} is not in the LMDB '
                                    f'environment {env_path}')
        return value

    def get_text(self, filepath: str, encoding: str = 'utf-8') -> str:
        """Read a key as text.

        Args:
            filepath (str): A ``dfblmdb://`` URI.
            encoding (str): Text encoding. Defaults to 'utf-8'.

        Returns:
            str: The decoded value.
        """
        return self.get(filepath).decode(encoding)


register_backend(
    LMDB_URI_PREFIX,
    DeepfakeBenchLmdbBackend,
    force=True,
    prefixes=LMDB_URI_PREFIX)
