# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest
import torch
from mmengine.registry import FUNCTIONS as MMENGINE_FUNCTIONS

from laanet.datasets import pair_collate
from laanet.datasets.transforms import PackDeepfakeInputs
from laanet.registry import FUNCTIONS


def _item(idx):
    res = dict(img=np.full((4, 4, 3), 2 * idx, np.uint8),
               img_fake=np.full((4, 4, 3), 2 * idx + 1, np.uint8),
               gt_label=0, gt_label_fake=1, frame_idx=idx,
               heatmap=np.zeros((1, 2, 2), np.float32),
               heatmap_fake=np.full((1, 2, 2), idx + 1, np.float32))
    return PackDeepfakeInputs(pair=True)(res)


def test_pairs_flatten_with_one_joint_shuffle():
    torch.manual_seed(0)
    batch = pair_collate([_item(i) for i in range(4)])
    inputs, samples = batch['inputs'], batch['data_samples']
    assert inputs.shape == (8, 3, 4, 4) and len(samples) == 8
    values = inputs[:, 0, 0, 0].tolist()
    assert sorted(values) == list(range(8))
    assert values != list(range(8))  # shuffled
    for value, sample in zip(values, samples):
        # labels, targets and meta follow their image
        assert sample.gt_label.item() == value % 2
        assert sample.frame_idx == value // 2
        expected = (value // 2 + 1) * (value % 2)
        assert sample.gt_fields.heatmap.max().item() == expected
    assert sum(s.gt_label.item() for s in samples) == 4


def test_same_torch_seed_same_order_and_single_items():
    torch.manual_seed(3)
    a = pair_collate([_item(i) for i in range(3)])['inputs']
    torch.manual_seed(3)
    b = pair_collate([_item(i) for i in range(3)])['inputs']
    assert torch.equal(a, b)
    single = [dict(inputs=torch.full((3, 2, 2), i, dtype=torch.uint8),
                   data_samples=i) for i in range(3)]
    out = pair_collate(single)
    assert out['inputs'][:, 0, 0, 0].tolist() == [0, 1, 2]
    assert out['data_samples'] == [0, 1, 2]
    with pytest.raises(ValueError, match='mixing'):
        pair_collate([single[0], _item(0)])


def test_registered_for_configs():
    assert FUNCTIONS.get('pair_collate') is pair_collate
    assert MMENGINE_FUNCTIONS.get('laanet.pair_collate') is pair_collate


def test_clips_are_never_taken_for_pairs():
    """A (3, T, H, W) clip has the rank of an image pair: single clips are
    stacked, clip pairs flattened, by the items' declaration."""
    clips = [dict(inputs=torch.full((3, 2, 4, 4), i, dtype=torch.uint8),
                  data_samples=i) for i in range(3)]
    out = pair_collate(clips)
    assert out['inputs'].shape == (3, 3, 2, 4, 4)
    assert out['data_samples'] == [0, 1, 2]
    pairs = [dict(inputs=torch.zeros(2, 3, 2, 4, 4, dtype=torch.uint8),
                  data_samples=['real', 'fake']) for _ in range(2)]
    assert pair_collate(pairs)['inputs'].shape == (4, 3, 2, 4, 4)
