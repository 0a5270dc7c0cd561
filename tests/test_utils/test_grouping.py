# Copyright (c) laanet contributors. All rights reserved.
from laanet.utils.grouping import group_indices


def test_group_indices_keeps_first_seen_order():
    groups = group_indices(['b', 'a', 'b', 'c', 'a'])
    assert list(groups.items()) == [('b', [0, 2]), ('a', [1, 4]),
                                    ('c', [3])]
    assert group_indices([]) == {}
