# Copyright (c) laanet contributors. All rights reserved.
"""Import a script of ``tools/`` as a module (tests call its ``main``), or
run it in a subprocess."""
import importlib.util
import os
import os.path as osp
import subprocess
import sys
from types import ModuleType
from typing import Sequence

#: The repository root (``tools/`` lives there).
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(rel_path: str) -> ModuleType:
    """Import a script of the repository's ``tools/`` as a module.

    Args:
        rel_path (str): Path from the repository root, e.g.
            ``'tools/dataset_converters/extract_faces.py'``.

    Returns:
        ModuleType: The executed module (its ``__main__`` block skipped).

    Raises:
        FileNotFoundError: Outside a source checkout (no ``tools/``).
    """
    path = osp.join(REPO_ROOT, rel_path)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: not a tool of this checkout')
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(args: Sequence[str],
             threads: int = 2,
             timeout: float = 900) -> subprocess.CompletedProcess:
    """Run a script of the repository in a fresh Python process and assert
    that it succeeded.

    Args:
        args (Sequence[str]): The script (path from the repository root)
            and its arguments.
        threads (int): ``OMP_NUM_THREADS`` of the process. Defaults to 2.
        timeout (float): Seconds before it is killed. Defaults to 900.

    Returns:
        subprocess.CompletedProcess: With the captured ``stdout`` and
        ``stderr`` (text).

    Raises:
        AssertionError: If it exits non-zero (with the end of its output).
    """
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    env['PYTHONPATH'] = REPO_ROOT + os.pathsep + env.get('PYTHONPATH', '')
    proc = subprocess.run([sys.executable] + list(args),
                          cwd=REPO_ROOT,
                          env=env,
                          capture_output=True,
                          text=True,
                          timeout=timeout)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    return proc
