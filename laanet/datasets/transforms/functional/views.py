# Copyright (c) laanet contributors. All rights reserved.
"""The pipeline side of the (real, fake) pair contract.

The contract itself (key suffixes, how a packed item declares a pair, the
collate hint, the naming of online fakes) lives in
:mod:`laanet.structures.layout`; this module re-exports the names the
transforms use and adds what only the pipeline needs.

**In the pipeline** (the result dict, from :class:`SelfBlend` with
``pair=True`` up to :class:`PackDeepfakeInputs`), one item holds two
*views* of the same real frame. The real view uses the plain keys
(``img``, ``gt_label``, ``blend_mask``, ``boundary_map``, ``heatmap``,
``consistency``, ``manipulation``, ``video_id``); the fake view uses the
same keys with the suffix ``'_fake'`` (:data:`FAKE_SUFFIX`). A single
sample (``pair=False``, or any test pipeline) has the plain keys only.
:func:`view_suffixes` says which views a result dict carries; a
transform that changes per-view data loops over it, and the masks it
must warp with the image are :data:`MASK_KEYS`.

The synthesis transform that makes a fake also names it: it sets the
fake view's ``manipulation`` (``'SBI'``, ``'BI'``) and its ``video_id``
(:func:`fake_video_id`). The packer copies these per view and decides
nothing.

**Failures** name the sample's file: :func:`describe_failure`.
"""
from typing import List, Optional

from laanet.structures.layout import (FAKE_SUFFIX, VIEW_SUFFIXES,
                                      fake_video_id)

__all__ = [
    'FAKE_SUFFIX', 'MASK_KEYS', 'VIEW_SUFFIXES', 'describe_failure',
    'fake_video_id', 'view_suffixes'
]

#: Per-view masks that geometric transforms warp with the image.
MASK_KEYS = ('blend_mask', 'boundary_map')


def describe_failure(results: dict, problem: str) -> str:
    """An error message naming the sample's file."""
    path: Optional[str] = results.get('img_path')
    return f'{problem} (file: {path})'


def view_suffixes(results: dict) -> List[str]:
    """Key suffixes of the views a sample carries.

    A pair (from :class:`SelfBlend` with ``pair=True``) carries the real
    view under plain keys (``img``, ``boundary_map``, ...) and the fake one
    under ``*_fake`` keys; a single sample only has the plain keys.

    Args:
        results (dict): The pipeline's result dict.

    Returns:
        list[str]: ``['', '_fake']`` for a pair, ``['']`` otherwise.
    """
    return list(VIEW_SUFFIXES) if 'img' + FAKE_SUFFIX in results else ['']
