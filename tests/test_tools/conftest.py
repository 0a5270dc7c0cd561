# Copyright (c) laanet contributors. All rights reserved.
"""The quickstart's demo dataset, built once per test session (astronaut +
insightface's t1.jpg faces; carphone is left out to keep it quick)."""
import importlib.util
import os.path as osp

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# Arguments of tools/misc/make_demo_dataset.py for the tests.
DEMO_ARGS = [
    '--sources', 'astronaut', 't1', '--train-variants', '2', '--variants', '2',
    '--no-progress'
]


@pytest.fixture(scope='session')
def demo_args():
    """The tool's arguments the demo dataset is built with."""
    return list(DEMO_ARGS)


@pytest.fixture(scope='session')
def demo_tool():
    """tools/misc/make_demo_dataset.py, imported as a module."""
    spec = importlib.util.spec_from_file_location(
        'make_demo_dataset',
        osp.join(REPO, 'tools', 'misc', 'make_demo_dataset.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope='session')
def demo_root(demo_tool, tmp_path_factory):
    """The data root of a demo dataset built with DEMO_ARGS."""
    root = str(tmp_path_factory.mktemp('demo') / 'data')
    demo_tool.main([root] + DEMO_ARGS)
    return root


@pytest.fixture(scope='session')
def random_checkpoint(tmp_path_factory):
    """A randomly initialised model of the quickstart config (for tools
    whose numbers only have to be consistent)."""
    import torch
    from mmengine.config import Config

    from laanet.registry import MODELS
    from laanet.utils import register_all_modules
    register_all_modules()
    torch.manual_seed(0)
    cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'laanet', 'quickstart_efn-b0_sbi_cpu.py'))
    path = str(tmp_path_factory.mktemp('ckpt') / 'random.pth')
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict(),
                    meta={}), path)
    return path
