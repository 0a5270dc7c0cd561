# Copyright (c) laanet contributors. All rights reserved.
"""Where a config's test annotation is, before anything is built."""
import os.path as osp
from typing import Optional

from mmengine.config import Config


def resolve_test_ann_file(cfg: Config,
                          ann_file: Optional[str] = None) -> str:
    """The test annotation path as the dataset will resolve it.

    Args:
        cfg (Config): A config with ``test_dataloader.dataset``.
        ann_file (str, optional): Use this ``ann_file`` instead of the
            config's (relative to ``data_root`` unless absolute).

    Returns:
        str: The path (not checked).
    """
    ds = cfg.test_dataloader.dataset
    ann = ann_file if ann_file is not None else ds.get('ann_file') or ''
    root = ds.get('data_root') or ''
    return ann if osp.isabs(ann) else osp.join(root, ann)
