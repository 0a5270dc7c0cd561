# Copyright (c) laanet contributors. All rights reserved.
"""Shared pytest fixtures."""
import os.path as osp
import sys

import pytest
import torch
from mmengine import DefaultScope

# The official-equivalent network and SBI pipeline (test oracles, not
# product code) live in tools/analysis_tools/official_reference/.
sys.path.insert(
    0,
    osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'tools',
             'analysis_tools'))


@pytest.fixture(autouse=True)
def _isolated_default_scope():
    """Run each test without a default scope left over by another test."""
    saved = dict(DefaultScope._instance_dict)
    yield
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(saved)


@pytest.fixture(autouse=True)
def _restore_torch_threads():
    """Give the next test the thread count this one started with: tools
    run in-process with ``--threads N`` call ``torch.set_num_threads``,
    and float32 sums (e.g. BatchNorm statistics) depend on the count."""
    threads = torch.get_num_threads()
    yield
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


@pytest.fixture(scope='session')
def inference_files(tmp_path_factory):
    """A B0 inference config file and its seeded checkpoint, for the tools,
    the demos and the web app (``write_inference_files``)."""
    from laanet.testing import write_inference_files
    return write_inference_files(str(tmp_path_factory.mktemp('model')))
