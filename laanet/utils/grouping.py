# Copyright (c) laanet contributors. All rights reserved.
"""Group sample positions by a key (a video id), keeping first-seen order."""
from collections import OrderedDict
from typing import Dict, Hashable, Iterable, List


def group_indices(keys: Iterable[Hashable]) -> Dict[Hashable, List[int]]:
    """The positions of each key, the keys in order of first appearance.

    Args:
        keys (Iterable[Hashable]): One key per sample (e.g. its video id).

    Returns:
        dict: key → the positions holding it, ascending (an ``OrderedDict``).
    """
    groups: Dict[Hashable, List[int]] = OrderedDict()
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    return groups
