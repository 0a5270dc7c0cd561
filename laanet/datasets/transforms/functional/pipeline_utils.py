# Copyright (c) laanet contributors. All rights reserved.
"""Editing pipeline configs: the one rule for dropping loading steps.

Owns :func:`strip_loading`, used wherever a dataset pipeline runs on data
that is already decoded (inference on face crops, ``browse_dataset.py``
and the pipeline benchmark on the demo face).
"""
import copy
from typing import List, Sequence


def is_loading_step(transform: dict) -> bool:
    """Whether a transform config loads files (its type is ``Load*``).

    The type may be scoped (``'mmcv.LoadImageFromFile'``) or a class.

    Args:
        transform (dict): A transform config.

    Returns:
        bool: True for ``LoadImageFromFile``, ``LoadLandmarks``, ...
    """
    kind = transform.get('type', '')
    name = kind if isinstance(kind, str) else getattr(kind, '__name__', '')
    return name.split('.')[-1].startswith('Load')


def strip_loading(pipeline: Sequence[dict]) -> List[dict]:
    """Drop the file-loading steps (``Load*``) of a pipeline config.

    Args:
        pipeline (Sequence[dict]): Transform configs.

    Returns:
        list[dict]: Deep copies of the other steps, in order.
    """
    return [copy.deepcopy(t) for t in pipeline if not is_loading_step(t)]
