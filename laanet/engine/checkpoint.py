# Copyright (c) laanet contributors. All rights reserved.
"""Let torch>=2.6 load the checkpoints MMEngine's runner writes.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True``, and
MMEngine 0.10.7 calls it without arguments, so resuming or ``load_from``
of the runner's own checkpoints fails: their ``message_hub`` holds
:class:`~mmengine.logging.HistoryBuffer` objects with numpy arrays, and a
``HistoryBuffer`` even pickles its statistics functions (through
``builtins.getattr``, which no safe unpickler may allow).

:func:`enable_mmengine_checkpoints` (called where checkpoints are loaded:
:func:`~laanet.engine.build_runner` and :func:`laanet.apis.init_model`;
importing ``laanet.engine`` does not call it):

1. allow-lists, for the safe ``weights_only`` unpickler, exactly the types
   found in MMEngine checkpoints: ``HistoryBuffer`` and the numpy array,
   dtype and scalar reconstructors;
2. makes ``HistoryBuffer`` pickle without its statistics functions (they
   are class-level and restored on unpickling anyway), so checkpoints
   written from then on contain no ``getattr``.

Every file is still loaded with ``weights_only=True``: third-party
weights get no more trust than before. A checkpoint written by MMEngine
without this fix (with ``getattr`` inside) is refused with torch's error;
:func:`load_trusted_checkpoint` loads such a file you trust.
"""
from typing import List

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

_ENABLED = False


def mmengine_checkpoint_safe_globals() -> List:
    """The globals an MMEngine runner checkpoint needs besides tensors.

    Returns:
        list: ``HistoryBuffer``, numpy's ``_reconstruct``, ``ndarray``,
        ``dtype``, ``scalar`` and the dtype classes of the common numeric
        dtypes.
    """
    try:  # numpy >= 2
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    dtypes = (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16,
              np.int8, np.uint8, np.bool_)
    return [HistoryBuffer, _reconstruct, scalar, np.ndarray, np.dtype
            ] + [type(np.dtype(t)) for t in dtypes]


def _history_buffer_getstate(self) -> dict:
    """Pickle a ``HistoryBuffer`` without its statistics functions."""
    state = dict(self.__dict__)
    state.pop('statistics_methods', None)
    return state


def enable_mmengine_checkpoints() -> None:
    """Make the runner's own checkpoints loadable with
    ``weights_only=True`` (idempotent)."""
    global _ENABLED
    if _ENABLED:
        return
    torch.serialization.add_safe_globals(mmengine_checkpoint_safe_globals())
    HistoryBuffer.__getstate__ = _history_buffer_getstate
    _ENABLED = True


def load_trusted_checkpoint(filename: str, map_location='cpu'):
    """Load a checkpoint you trust with ``weights_only=False``.

    Only for MMEngine checkpoints written without
    :func:`enable_mmengine_checkpoints`; unpickling runs arbitrary code
    from the file.

    Args:
        filename (str): Path of the checkpoint.
        map_location: See :func:`torch.load`. Defaults to ``'cpu'``.

    Returns:
        dict: The checkpoint.
    """
    return torch.load(filename, map_location=map_location, weights_only=False)
