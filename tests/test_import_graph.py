# Copyright (c) laanet contributors. All rights reserved.
"""The package import graph: no cycle, no upward pull, no side effect.

Each check runs in a fresh interpreter, so that nothing another test
imported hides a cycle or a side effect.
"""
import json
import subprocess
import sys

import pytest

# slow: one fresh interpreter per check
pytestmark = pytest.mark.slow

SUBPACKAGES = ('laanet.registry', 'laanet.utils', 'laanet.structures',
               'laanet.codecs', 'laanet.datasets', 'laanet.preprocessing',
               'laanet.evaluation', 'laanet.models',
               'laanet.visualization', 'laanet.engine', 'laanet.apis',
               'laanet.deployment', 'laanet.testing')


def _fresh(code: str) -> dict:
    proc = subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True,
                          timeout=300,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize('name', SUBPACKAGES)
def test_each_subpackage_imports_alone(name):
    """Importing a subpackage first, alone, works (a cycle would fail with
    a partially initialised module)."""
    out = _fresh(f'import json, sys, importlib; importlib.import_module('
                 f'{name!r}); print(json.dumps(sorted(m for m in '
                 "sys.modules if m.startswith('laanet'))))")
    assert name in out


def test_utils_does_not_pull_in_apis():
    out = _fresh('import json, sys; import laanet.utils; '
                 'from laanet.utils import register_all_modules; '
                 'register_all_modules(); '
                 "print(json.dumps([m for m in sys.modules "
                 "if m.startswith('laanet.apis')]))")
    assert out == []


def test_media_io_is_a_leaf():
    """``laanet.utils.media`` (every reader and writer of media) imports
    nothing of laanet above ``laanet.utils``, so any package may use it."""
    out = _fresh('import json, sys; import laanet.utils.media; '
                 "print(json.dumps(sorted({m.split('.')[1] for m in "
                 "sys.modules if m.startswith('laanet.')})))")
    assert set(out) <= {'utils', 'version'}, out


@pytest.mark.parametrize('name, allowed', [
    ('laanet.codecs', {'codecs', 'utils', 'version'}),
    ('laanet.preprocessing', {
        'preprocessing', 'datasets', 'structures', 'registry', 'utils',
        'codecs', 'version'
    }),
])
def test_floors_of_the_data_packages(name, allowed):
    """The target codec stands on nothing but ``laanet.utils`` (which the
    root package imports); offline preparation stands on
    ``laanet.datasets`` (its perturbations) and below, never on the
    models, the engine or inference."""
    out = _fresh(f'import json, sys, importlib; importlib.import_module('
                 f'{name!r}); print(json.dumps(sorted({{m.split(".")[1] '
                 "for m in sys.modules if m.startswith('laanet.')})))")
    assert set(out) <= allowed, out


def test_deployment_does_not_pull_in_apis():
    """The exported graph and its backend stand below inference."""
    out = _fresh('import json, sys; import laanet.deployment; '
                 "print(json.dumps([m for m in sys.modules "
                 "if m.startswith('laanet.apis')]))")
    assert out == []


def test_importing_engine_leaves_mmengine_unpatched():
    code = '''
import json
import torch
from mmengine.logging import HistoryBuffer
import laanet.engine  # noqa
from laanet.engine import checkpoint
from laanet.utils import register_all_modules
register_all_modules()


def patched():
    return (HistoryBuffer.__getstate__ is checkpoint._history_buffer_getstate
            or HistoryBuffer in torch.serialization.get_safe_globals())


state = [patched()]
checkpoint.enable_mmengine_checkpoints()
state.append(patched())
print(json.dumps(state))
'''
    assert _fresh(code) == [False, True]


@pytest.mark.parametrize('name, forbidden', [
    ('laanet.models', 'laanet.datasets'),
    ('laanet.engine', 'laanet.models'),
    ('laanet.structures', 'laanet.models'),
    ('laanet.structures', 'laanet.datasets'),
    ('laanet.datasets', 'laanet.preprocessing'),
    ('laanet.models', 'laanet.preprocessing'),
    ('laanet.utils', 'laanet.preprocessing'),
    ('laanet.utils.demo_media', 'laanet.preprocessing'),
])
def test_lower_floors_do_not_pull_in_higher_ones(name, forbidden):
    """The models take the data layout from structures, not datasets; the
    engine (compile_model included) knows nothing about the models."""
    out = _fresh(f'import json, sys, importlib; importlib.import_module('
                 f'{name!r}); print(json.dumps([m for m in sys.modules if '
                 f'm == {forbidden!r} or m.startswith({forbidden!r} + ".")]))')
    assert out == []
