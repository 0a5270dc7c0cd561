# Copyright (c) laanet contributors. All rights reserved.
"""The model zoo metadata: ``configs/laanet/metafile.yml`` (and
``configs/sbi/metafile.yml`` for SBI).

One place holds the paper's numbers: the cross-dataset report prints
them beside ours and a test checks the README's results table against
them.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence

#: The repository's metafile.
METAFILE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
    'configs', 'laanet', 'metafile.yml')
#: SBI's metafile.
SBI_METAFILE = osp.join(osp.dirname(osp.dirname(METAFILE)), 'sbi',
                        'metafile.yml')
#: Datasets of the README's results table, in its column order.
README_DATASETS = ('FF++ (raw)', 'Celeb-DF v2', 'DFW', 'DFD', 'DFDCP')
#: Datasets of SBI's README table (the sets SBI reports), in order.
SBI_README_DATASETS = ('Celeb-DF v2', 'DFDC', 'DFDCP', 'DFD', 'FFIW')


def load_metafile(path: str = METAFILE) -> dict:
    """Read a metafile.

    Args:
        path (str): Its path. Defaults to :data:`METAFILE`.

    Returns:
        dict: ``Collections`` and ``Models``.

    Raises:
        FileNotFoundError: If the file is missing.
        ValueError: If it has no ``Models``.
    """
    import yaml
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path}: no such metafile')
    with open(path, encoding='utf-8') as f:
        meta = yaml.safe_load(f)
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


def readme_results_rows(
        meta: dict,
        datasets: Sequence[str] = README_DATASETS) -> List[str]:
    """The README's results table rows, generated from the metafile.

    Args:
        meta (dict): :func:`load_metafile`'s output.
        datasets (Sequence[str]): The table's columns. Defaults to
            :data:`README_DATASETS` (LAA-Net's README).

    Returns:
        list[str]: One markdown row per model, as the README has them.
    """
    rows = []
    for model in meta['Models']:
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
            vals = [m['Video AUC']] + ([m['Video AP']]
                                       if 'Video AP' in m else [])
            cells.append(' / '.join(f'{v:.2f}' for v in vals))
        cells.append(', '.join(sorted(sources)))
        rows.append('| ' + ' | '.join(cells) + ' |')
    return rows
