# Copyright (c) laanet contributors. All rights reserved.
"""Import a script of ``tools/`` as a module (tests call its ``main``)."""
import importlib.util
import os.path as osp
from types import ModuleType

#: The repository root (``tools/`` lives there).
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def load_tool(rel_path: str) -> ModuleType:
    """Load ``tools/<rel_path>`` under its file name.

    Args:
        rel_path (str): E.g. ``'dataset_converters/extract_faces.py'``.

    Returns:
        ModuleType: The executed module (its ``__main__`` block skipped).
    """
    path = osp.join(REPO_ROOT, 'tools', rel_path)
    name = osp.splitext(osp.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
