# Copyright (c) laanet contributors. All rights reserved.
"""What a resumable tool's work dir was made with, checked on resume."""
import json
import os.path as osp

from laanet.utils.media import atomic_dump_json


def check_run_identity(work_dir: str, identity: dict,
                       file_name: str = 'run.json') -> None:
    """Record ``identity`` in a new work dir, or check it in an old one.

    A resumable tool reuses the results in its work dir; results of
    another checkpoint or other options must not be mixed in.

    Args:
        work_dir (str): The tool's work dir.
        identity (dict): JSON-serialisable options the results depend on.
        file_name (str): The record. Defaults to ``'run.json'``.

    Raises:
        SystemExit: With a clear message if the work dir holds another
            run's results.
    """
    path = osp.join(work_dir, file_name)
    ident = json.loads(json.dumps(identity))
    if not osp.isfile(path):
        atomic_dump_json(ident, path, indent=1)
        return
    with open(path, encoding='utf-8') as f:
        old = json.load(f)
    if old != ident:
        diff = sorted(k for k in set(ident) | set(old)
                      if old.get(k) != ident.get(k))
        raise SystemExit(
            f'error: {work_dir} holds the results of another run '
            f'(different {", ".join(diff)}); use another --work-dir or '
            'delete it.')
