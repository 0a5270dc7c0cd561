# Copyright (c) laanet contributors. All rights reserved.
"""The (real, fake) pair layout of a pipeline result dict."""
from typing import List, Optional

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
    return ['', '_fake'] if 'img_fake' in results else ['']
