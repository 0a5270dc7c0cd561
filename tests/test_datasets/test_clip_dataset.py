# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeDataset in clip mode (FakeSTormer items)."""
import json
import os
import os.path as osp

import cv2
import numpy as np
import pytest
from mmengine.registry import init_default_scope

from laanet.datasets.clip_index import ClipIndex, natural_key
from laanet.registry import DATASETS


def make_clip_ann(root, videos=(('a', 0, 10), ('b', 1, 7), ('c', 1, 3))):
    """Frames named 0.png .. n-1.png, listed in a shuffled order."""
    entries = []
    rs = np.random.RandomState(0)
    for vid, label, n in videos:
        for k in rs.permutation(n):
            rel = f'frames/{vid}/{k}.png'
            path = osp.join(root, rel)
            os.makedirs(osp.dirname(path), exist_ok=True)
            cv2.imwrite(path, np.full((24, 20, 3), k, np.uint8))
            entries.append(
                dict(img_path=rel, video_id=vid, frame_idx=int(k),
                     label=label, landmarks=(np.ones((68, 2)) * k).tolist()))
    ann = osp.join(root, 'ann.json')
    with open(ann, 'w') as f:
        json.dump(dict(metainfo=dict(dataset='demo'), data_list=entries), f)
    return ann


def build(root, **kw):
    init_default_scope('laanet')
    return DATASETS.build(
        dict(type='DeepfakeDataset', ann_file=make_clip_ann(root),
             data_root=str(root), clip_len=4, **kw))


def test_natural_order():
    paths = ['v/10.png', 'v/9.png', 'v/100.png', 'v/1.png']
    assert sorted(paths, key=natural_key) == [
        'v/1.png', 'v/9.png', 'v/10.png', 'v/100.png']


def test_chunks_drop_tails_and_follow_offsets():
    index = ClipIndex(['a'] * 10 + ['b'] * 7, [f'{k}.png' for k in range(10)] +
                      [f'{k}.png' for k in range(7)], 4)
    assert index.chunks() == [(0, 0), (0, 4), (1, 0)]
    assert index.chunks([2, 3]) == [(0, 2), (0, 6), (1, 3)]
    assert index.chunks([3, 0]) == [(0, 3), (1, 0)]
    with pytest.raises(IndexError, match='too few'):
        index.positions((1, 4))


def test_clip_items_are_consecutive_natsorted_frames(tmp_path):
    ds = build(tmp_path)
    # a: 10 frames -> 2 clips, b: 7 -> 1, c: 3 -> none
    assert len(ds) == 3
    assert ds.get_video_ids() == ['a', 'a', 'b']
    info = ds.get_data_info(1)
    assert [osp.basename(p) for p in info['img_path']] == [
        '4.png', '5.png', '6.png', '7.png']
    assert info['frame_indices'].tolist() == [4, 5, 6, 7]
    assert info['frame_idx'] == 4 and info['video_id'] == 'a'
    assert info['landmarks'].shape == (4, 68, 2)
    assert info['landmarks'][:, 0, 0].tolist() == [4, 5, 6, 7]
    # a clip key (video, start): the re-chunked clip of the sampler
    shifted = ds.get_data_info((1, 2))
    assert shifted['frame_indices'].tolist() == [2, 3, 4, 5]
    assert shifted['gt_label'] == 1


def test_clip_pipeline_loads_frames_in_order(tmp_path):
    ds = build(tmp_path, pipeline=[
        dict(type='LoadClipFrames'),
        dict(type='LoadClipLandmarks')
    ])
    out = ds[0]
    assert [int(f[0, 0, 0]) for f in out['img']] == [0, 1, 2, 3]
    assert out['landmarks'].shape == (4, 68, 2)
    assert out['img_shape'] == (24, 20)


def test_clip_len_refuses_frames_per_video(tmp_path):
    with pytest.raises(ValueError, match='cannot be combined'):
        build(tmp_path, test_mode=True, frames_per_video=2)
