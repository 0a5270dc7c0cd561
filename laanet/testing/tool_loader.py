# Copyright (c) laanet contributors. All rights reserved.
"""Import a script of ``tools/`` as a module (tests call its ``main``)."""
import importlib.util
import os.path as osp
from types import ModuleType

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
