# Copyright (c) laanet contributors. All rights reserved.
import json
import os.path as osp

import cv2
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from laanet.registry import DATASETS


VIDEOS = (('original/000', 0, 10), ('Deepfakes/000_003', 1, 10),
          ('short', 1, 3))


def make_ann(root, videos=VIDEOS, null_every=4):
    """Tiny PNG frames and an annotation file under root."""
    entries = []
    for vid, label, n in videos:
        for k in range(n):
            idx = k * 3
            rel = f'frames/{vid}/{idx:03d}.png'
            img = np.full((24, 20, 3), (len(entries) * 7) % 255, np.uint8)
            path = osp.join(root, rel)
            import os
            os.makedirs(osp.dirname(path), exist_ok=True)
            cv2.imwrite(path, img)
            lms = None if k % null_every == 1 else \
                (np.ones((68, 2)) * k).tolist()
            entries.append(
                dict(img_path=rel, video_id=vid, frame_idx=idx, label=label,
                     manipulation=vid.split('/')[0], landmarks=lms,
                     mask_path=rel, best_match=[rel]))
    ann = osp.join(root, 'ann.json')
    with open(ann, 'w') as f:
        json.dump(dict(metainfo=dict(dataset='FF++', split='train'),
                       data_list=entries), f)
    return ann


def build(ann, root, **kw):
    init_default_scope('laanet')
    return DATASETS.build(
        dict(type='DeepfakeDataset', ann_file=ann, data_root=str(root), **kw))


def test_parsing_and_paths(tmp_path):
    ann = make_ann(str(tmp_path))
    ds = build(ann, tmp_path)
    assert len(ds) == 23
    info = ds.get_data_info(0)
    assert info['img_path'] == osp.join(str(tmp_path),
                                        'frames/original/000/000.png')
    assert info['mask_path'] == info['img_path']
    assert info['best_match'] == [info['img_path']]
    assert info['gt_label'] == 0 and info['dataset_name'] == 'FF++'
    assert info['landmarks'].dtype == np.float32
    assert info['landmarks'].shape == (68, 2)
    assert ds.get_data_info(1)['landmarks'] is None
    assert ds.metainfo['classes'] == ('real', 'fake')
    assert ds.get_video_ids()[10] == 'Deepfakes/000_003'


def test_require_landmarks(tmp_path):
    ann = make_ann(str(tmp_path))
    ds = build(ann, tmp_path, require_landmarks=True)
    assert len(ds) == 23 - 3 - 3 - 1
    assert all(
        ds.get_data_info(i)['landmarks'] is not None for i in range(len(ds)))


def test_frames_per_video_in_test_mode(tmp_path):
    ann = make_ann(str(tmp_path))
    ds = build(ann, tmp_path, test_mode=True, frames_per_video=4)
    frames = {}
    for i in range(len(ds)):
        d = ds.get_data_info(i)
        frames.setdefault(d['video_id'], []).append(d['frame_idx'])
    # Evenly spaced over the 10 frames (idx 0..27), all of a short video.
    assert frames['original/000'] == [0, 9, 18, 27]
    assert frames['short'] == [0, 3, 6]
    again = build(ann, tmp_path, test_mode=True, frames_per_video=4)
    assert [again.get_data_info(i)['img_path'] for i in range(len(again))] \
        == [ds.get_data_info(i)['img_path'] for i in range(len(ds))]
    with pytest.raises(ValueError, match='VideoFrameSampler'):
        build(ann, tmp_path, frames_per_video=8)


def test_pipeline_and_errors(tmp_path):
    ann = make_ann(str(tmp_path))
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='CenterCropLetterbox', margin=2, scale=32)
    ]
    ds = build(ann, tmp_path, pipeline=pipeline, test_mode=True)
    out = ds[0]
    assert out['img'].shape == (32, 32, 3)
    assert out['landmarks'].shape == (68, 2)
    missing = osp.join(str(tmp_path), 'frames/short/003.png')
    import os
    os.remove(missing)
    with pytest.raises(RuntimeError, match='short/003.png'):
        ds[21]


def test_resample_failed_counts(tmp_path):
    ann = make_ann(str(tmp_path))
    import os
    os.remove(osp.join(str(tmp_path), 'frames/short/003.png'))
    ds = build(ann, tmp_path, pipeline=[dict(type='LoadImageFromFile')],
               resample_failed=True)
    broken = osp.join(str(tmp_path), 'frames/short/003.png')
    out = ds[21]
    assert out['img_path'] != broken
    assert ds.failed_count >= 1
    # Deep copies (get_subset) share the counter.
    sub = ds.get_subset([21, 0])
    assert sub._failed_counter is ds._failed_counter
    # Counts from dataloader worker processes reach the main process.
    loader = torch.utils.data.DataLoader(
        ds, batch_size=1, sampler=[21], num_workers=1,
        collate_fn=lambda x: x)
    before = ds.failed_count
    (item, ), = list(loader)
    assert item['img_path'] != broken
    after = ds.failed_count
    assert after > before
    assert ds.log_failed_count(epoch=0) == after
    assert ds.failed_count == 0


def test_bad_annotation(tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text(json.dumps(dict(metainfo={}, data_list=[dict(
        img_path='a.png', label=0)])))
    with pytest.raises(KeyError, match='video_id'):
        build(str(bad), tmp_path)
    bad.write_text(json.dumps(dict(metainfo={}, data_list=[dict(
        img_path='a.png', label=2, video_id='v')])))
    with pytest.raises(ValueError, match='label must be 0 or 1'):
        build(str(bad), tmp_path)
