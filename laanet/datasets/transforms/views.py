# Copyright (c) laanet contributors. All rights reserved.
"""The (real, fake) pair contract of the training pipeline.

This module is the single description of the pair layout; every transform
that handles pairs imports its names from here.

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
(:func:`fake_video_id`: ``'<manipulation>/<video_id>'``, so that
video-level metrics never average a real video with its fakes). The
packer copies these per view and decides nothing.

**After packing**, a pair item is ``inputs`` uint8 (2, 3, H, W) [real,
fake] and ``data_samples`` ``[real_sample, fake_sample]``. Only
:func:`~laanet.datasets.pair_collate` flattens pairs (B items to 2B
images, shuffled jointly); a data preprocessor that receives
un-flattened pairs raises an error that names the collate function
(:data:`PAIR_COLLATE_HINT`).

**Failures** name the sample's file: :func:`describe_failure`.
"""
from typing import List, Optional

#: Key suffix of the fake view of a pair.
FAKE_SUFFIX = '_fake'
#: Key suffixes of the two views of a pair, real first.
VIEW_SUFFIXES = ('', FAKE_SUFFIX)
#: Per-view masks that geometric transforms warp with the image.
MASK_KEYS = ('blend_mask', 'boundary_map')
#: What to tell someone who feeds un-flattened pairs to the model.
PAIR_COLLATE_HINT = ("use collate_fn=dict(type='laanet.pair_collate') in the "
                     'dataloader config to flatten (real, fake) pairs')


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


def fake_video_id(video_id: Optional[str],
                  manipulation: str) -> Optional[str]:
    """The video id of a fake synthesised online from a real video.

    Args:
        video_id (str, optional): The real video's id.
        manipulation (str): The synthesis, e.g. ``'SBI'``.

    Returns:
        str | None: ``'<manipulation>/<video_id>'`` (None stays None).
    """
    return None if video_id is None else f'{manipulation}/{video_id}'
