# Copyright (c) laanet contributors. All rights reserved.
import importlib.util

import pytest

from laanet.registry import TASK_UTILS


def test_needs_a_local_weight_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='never downloads'):
        TASK_UTILS.build(
            dict(type='RetinaFaceDetector', weights=str(tmp_path / 'x.pth')))


@pytest.mark.skipif(
    importlib.util.find_spec('retinaface') is not None,
    reason='retinaface-pytorch is installed')
def test_clear_error_without_the_package(tmp_path):
    weights = tmp_path / 'w.pth'
    weights.write_bytes(b'0')
    with pytest.raises(ImportError, match='retinaface-pytorch'):
        TASK_UTILS.build(dict(type='RetinaFaceDetector', weights=str(weights)))
