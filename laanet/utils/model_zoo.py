# Copyright (c) laanet contributors. All rights reserved.
"""The model zoo metadata: the root ``model-index.yml`` and the metafiles it
imports, one per method (``configs/<method>/metafile.yml``).

One place holds the papers' numbers: the cross-dataset report prints them
beside ours and a test checks each method's README results table against them.
A new method adds its metafile to ``model-index.yml``; nothing here names a
method.
"""

import os.path as osp
from typing import Dict, List, Optional, Sequence

#: The repository root.
REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: The model zoo index.
MODEL_INDEX = osp.join(REPO_ROOT, 'model-index.yml')


def _read_yaml(path: str) -> object:
    import yaml
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such file')
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


def metafile_paths(index: str = MODEL_INDEX) -> List[str]:
    """The metafiles a model index imports, as absolute paths.

    Args:
        index (str): The ``model-index.yml``. Defaults to
            :data:`MODEL_INDEX`.

    Returns:
        list[str]: The metafiles, in the index's order.

    Raises:
        FileNotFoundError: If the index or a metafile it names is missing.
        ValueError: If the index has no ``Import`` list.
    """
    data = _read_yaml(index)
    imports = data.get('Import') if isinstance(data, dict) else None
    if not imports:
        raise ValueError(f'{index}: not a model index (no Import list)')
    root = osp.dirname(osp.abspath(index))
    paths = [osp.join(root, p) for p in imports]
    for path in paths:
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'{index}: imports {osp.relpath(path, root)}, which does '
                'not exist')
    return paths


def load_model_index(index: str = MODEL_INDEX) -> dict:
    """Every method's metafile, merged.

    Args:
        index (str): The ``model-index.yml``. Defaults to
            :data:`MODEL_INDEX`.

    Returns:
        dict: ``Collections`` and ``Models`` of all imported metafiles.
    """
    merged = dict(Collections=[], Models=[])
    for path in metafile_paths(index):
        meta = load_metafile(path)
        merged['Collections'] += meta.get('Collections') or []
        merged['Models'] += meta['Models']
    return merged


def load_metafile(path: Optional[str] = None) -> dict:
    """Read a metafile.

    Args:
        path (str, optional): Its path. Defaults to None: every metafile
            of the model index, merged (:func:`load_model_index`).

    Returns:
        dict: ``Collections`` and ``Models``.

    Raises:
        FileNotFoundError: If the file is missing.
        ValueError: If it has no ``Models``.
    """
    if path is None:
        return load_model_index()
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such metafile')
    meta = _read_yaml(path)
    if not isinstance(meta, dict) or not meta.get('Models'):
        raise ValueError(f'{path}: not a metafile (no Models list)')
    return meta


def find_model(meta: dict, name: str) -> dict:
    """A model of the metafile by ``Name`` or ``Alias``.

    Args:
        meta (dict): :func:`load_metafile`'s output.
        name (str): The name or alias.

    Returns:
        dict: The model entry.

    Raises:
        KeyError: If no model has that name.
    """
    for model in meta['Models']:
        if name in (model.get('Name'), model.get('Alias')):
            return model
    names = [m.get('Alias') or m.get('Name') for m in meta['Models']]
    raise KeyError(f'No model {name!r} in the metafile; known: {names}')


def _norm(path: str) -> str:
    return osp.normpath(path).replace(osp.sep, '/')


def paper_results(model: dict,
                  test_config: Optional[str] = None) -> Dict[str, dict]:
    """The reported results of a model, keyed by test config.

    Args:
        model (dict): A metafile model entry.
        test_config (str, optional): Only this test config (a path ending
            like the metafile's ``Test Config``).

    Returns:
        dict: Test config -> the result entry (``Dataset``, ``Metrics``,
        ``Source``).
    """
    out = {}
    for res in model.get('Results') or []:
        cfg = res.get('Test Config')
        if cfg is None:
            continue
        if test_config is None or _norm(osp.abspath(test_config)).endswith(
                '/' + _norm(cfg)) or _norm(test_config) == _norm(cfg):
            out[cfg] = res
    return out


def readme_results_rows(meta: dict,
                        collection: str,
                        datasets: Optional[Sequence[str]] = None) -> List[str]:
    """A method's README results table rows, generated from the metafile.

    Args:
        meta (dict): :func:`load_metafile`'s output.
        collection (str): The method (the metafile's collection name).
        datasets (Sequence[str], optional): The table's columns. Defaults
            to the collection's ``README Table`` list.

    Returns:
        list[str]: One markdown row per model of the collection, as the
        README has them.

    Raises:
        KeyError: If the collection is unknown or names no columns.
    """
    collections = {c['Name']: c for c in meta.get('Collections') or []}
    if collection not in collections:
        raise KeyError(f'No collection {collection!r} in the metafile; '
                       f'known: {sorted(collections)}')
    if datasets is None:
        datasets = collections[collection].get('README Table')
        if not datasets:
            raise KeyError(f'Collection {collection!r} has no README Table')
    rows = []
    for model in meta['Models']:
        if model.get('In Collection') != collection:
            continue
        by_set = {r['Dataset']: r for r in model.get('Results') or []}
        cells = [model['Metadata']['Synthesis']]
        sources = set()
        for name in datasets:
            res = by_set.get(name)
            if res is None:
                cells.append('-')
                continue
            sources.add(res['Source'].split(' (')[0])
            m = res['Metrics']
            vals = [m['Video AUC']
                    ] + ([m['Video AP']] if 'Video AP' in m else [])
            cells.append(' / '.join(f'{v:.2f}' for v in vals))
        cells.append(', '.join(sorted(sources)))
        rows.append('| ' + ' | '.join(cells) + ' |')
    return rows
