# Copyright (c) laanet contributors. All rights reserved.
import importlib
import subprocess
import sys
import textwrap

import mmengine.registry as mmengine_registry
import pytest
from mmengine import Config, DefaultScope
from mmengine.registry import MODELS as ROOT_MODELS
from torch import nn

import laanet.registry as laanet_registry
from laanet.utils import register_all_modules

# (laanet name, mmengine root name) of every registry node.
REGISTRY_PAIRS = [
    ('RUNNERS', 'RUNNERS'), ('RUNNER_CONSTRUCTORS', 'RUNNER_CONSTRUCTORS'),
    ('LOOPS', 'LOOPS'), ('HOOKS', 'HOOKS'),
    ('LOG_PROCESSORS', 'LOG_PROCESSORS'), ('OPTIMIZERS', 'OPTIMIZERS'),
    ('OPTIM_WRAPPERS', 'OPTIM_WRAPPERS'),
    ('OPTIM_WRAPPER_CONSTRUCTORS', 'OPTIM_WRAPPER_CONSTRUCTORS'),
    ('PARAM_SCHEDULERS', 'PARAM_SCHEDULERS'), ('DATASETS', 'DATASETS'),
    ('DATA_SAMPLERS', 'DATA_SAMPLERS'), ('TRANSFORMS', 'TRANSFORMS'),
    ('FUNCTIONS', 'FUNCTIONS'), ('MODELS', 'MODELS'),
    ('MODEL_WRAPPERS', 'MODEL_WRAPPERS'),
    ('WEIGHT_INITIALIZERS', 'WEIGHT_INITIALIZERS'),
    ('TASK_UTILS', 'TASK_UTILS'), ('METRICS', 'METRICS'),
    ('EVALUATORS', 'EVALUATOR'), ('VISUALIZERS', 'VISUALIZERS'),
    ('VISBACKENDS', 'VISBACKENDS'), ('INFERENCERS', 'INFERENCERS')
]


@pytest.mark.parametrize('name,root_name', REGISTRY_PAIRS)
def test_registry_parent_scope_and_locations(name, root_name):
    registry = getattr(laanet_registry, name)
    assert registry.parent is getattr(mmengine_registry, root_name)
    assert registry.scope == 'laanet'
    assert registry.parent.children['laanet'] is registry
    assert registry._locations, f'{name} has no locations'
    for location in registry._locations:
        assert location.startswith('laanet.')
        importlib.import_module(location)  # every location is importable


@pytest.fixture(autouse=True)
def _restore_default_scopes():
    """These tests clear MMEngine's global scope registry; put it back so
    no later test depends on the order the tests ran in."""
    saved = dict(DefaultScope._instance_dict)
    yield
    DefaultScope._instance_dict.clear()
    DefaultScope._instance_dict.update(saved)


def test_register_all_modules_sets_default_scope():
    DefaultScope._instance_dict.clear()
    register_all_modules()
    assert DefaultScope.get_current_instance().scope_name == 'laanet'
    # Without init_default_scope nothing is set.
    DefaultScope._instance_dict.clear()
    register_all_modules(init_default_scope=False)
    assert DefaultScope.get_current_instance() is None


def test_register_all_modules_warns_on_another_scope():
    DefaultScope._instance_dict.clear()
    DefaultScope.get_instance('other-project', scope_name='mmpretrain')
    with pytest.warns(UserWarning, match='force the current default scope'):
        register_all_modules()
    assert DefaultScope.get_current_instance().scope_name == 'laanet'


@laanet_registry.MODELS.register_module()
class _RegistryProbe(nn.Module):
    """A module registered in laanet's MODELS only, for these tests."""

    def __init__(self, width: int = 2) -> None:
        super().__init__()
        self.width = width


def test_config_default_scope_builds_laanet_module():
    cfg = Config(
        dict(default_scope='laanet', model=dict(type='_RegistryProbe',
                                                width=3)))
    DefaultScope._instance_dict.clear()
    DefaultScope.get_instance('cfg-test', scope_name=cfg.default_scope)
    # The Runner builds from MMEngine's root registry; the default scope
    # redirects the lookup to laanet's child registry.
    model = ROOT_MODELS.build(cfg.model)
    assert isinstance(model, _RegistryProbe) and model.width == 3


def test_other_projects_reach_modules_with_prefix():
    DefaultScope._instance_dict.clear()
    DefaultScope.get_instance('mmpretrain-like', scope_name='mmengine')
    model = ROOT_MODELS.build(dict(type='laanet._RegistryProbe'))
    assert isinstance(model, _RegistryProbe)
    with pytest.raises(KeyError):
        ROOT_MODELS.build(dict(type='_RegistryProbe'))


@pytest.mark.slow  # a fresh interpreter
def test_locations_import_subpackages_without_register_all_modules():
    # In a fresh interpreter: only the registry is imported, the default
    # scope is laanet, and a lookup imports the sub-packages by itself.
    code = textwrap.dedent("""
        import sys
        from mmengine import DefaultScope
        from laanet.registry import DATASETS, METRICS, MODELS
        assert 'laanet.models' not in sys.modules
        DefaultScope.get_instance('t', scope_name='laanet')
        MODELS.get('anything')
        DATASETS.get('anything')
        METRICS.get('anything')
        for name in ('laanet.models', 'laanet.datasets', 'laanet.evaluation'):
            assert name in sys.modules, name
        print('ok')
    """)
    out = subprocess.run([sys.executable, '-c', code],
                         capture_output=True,
                         text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith('ok')
