# Copyright (c) laanet contributors. All rights reserved.
import json

import pytest

from laanet.preprocessing import (SplitFileError, celebdf_videos, dfd_videos,
                                  dfdc_videos, dfdcp_videos, dfw_videos,
                                  ffpp_videos, generic_videos)


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'')


def test_ffpp_split_and_unique_ids(tmp_path):
    (tmp_path / 'train.json').write_text(json.dumps([['000', '003']]))
    items = ffpp_videos(str(tmp_path), 'train', 'c23',
                        ['Deepfakes', 'Face2Face'], with_masks=True)
    ids = [it.video_id for it in items]
    assert ids == [
        'original/000', 'original/003', 'Deepfakes/000_003',
        'Deepfakes/003_000', 'Face2Face/000_003', 'Face2Face/003_000'
    ]
    assert len(set(ids)) == len(ids)
    assert [it.label for it in items] == [0, 0, 1, 1, 1, 1]
    df = items[2]
    assert df.video_path.endswith(
        'manipulated_sequences/Deepfakes/c23/videos/000_003.mp4')
    assert df.mask_path.endswith('Deepfakes/masks/videos/000_003.mp4')
    assert items[0].video_path.endswith(
        'original_sequences/youtube/c23/videos/000.mp4')
    assert items[0].mask_path is None


@pytest.mark.parametrize('content,match', [
    (None, 'not found'),
    ('{not json', 'not valid JSON'),
    ('{"a": 1}', 'list of'),
    ('[["000"]]', 'list of'),
    ('[]', 'list of'),
])
def test_ffpp_bad_split_file(tmp_path, content, match):
    if content is not None:
        (tmp_path / 'val.json').write_text(content)
    with pytest.raises(SplitFileError, match=match):
        ffpp_videos(str(tmp_path), 'val')
    with pytest.raises(SplitFileError, match='compression'):
        ffpp_videos(str(tmp_path), 'val', compression='c0')


def test_celebdf_reads_every_line(tmp_path):
    (tmp_path / 'List_of_testing_videos.txt').write_text(
        '1 YouTube-real/00170.mp4\n0 Celeb-synthesis/id0_id1_0000.mp4\n'
        '1 Celeb-real/id0_0001.mp4\n')
    _touch(tmp_path / 'Celeb-real' / 'videos' / 'id0_0001.mp4')
    _touch(tmp_path / 'Celeb-real' / 'videos' / 'id9_0009.mp4')
    items = celebdf_videos(str(tmp_path))
    by_id = {it.video_id: it for it in items}
    # The first line is a video, not a header (official defect).
    assert set(by_id) == {
        'YouTube-real/00170', 'Celeb-synthesis/id0_id1_0000',
        'Celeb-real/id0_0001'
    }
    assert by_id['Celeb-synthesis/id0_id1_0000'].label == 1
    assert by_id['YouTube-real/00170'].label == 0
    assert by_id['Celeb-real/id0_0001'].video_path.endswith(
        'Celeb-real/videos/id0_0001.mp4')
    train = celebdf_videos(str(tmp_path), split='train')
    assert [it.video_id for it in train] == ['Celeb-real/id9_0009']
    (tmp_path / 'bad.txt').write_text('YouTube-real/00170.mp4\n')
    with pytest.raises(SplitFileError, match='bad.txt:1'):
        celebdf_videos(str(tmp_path), list_file=str(tmp_path / 'bad.txt'))


def test_dfdc_and_dfdcp(tmp_path):
    (tmp_path / 'labels.csv').write_text('filename,label\nb.mp4,0\na.mp4,1\n')
    items = dfdc_videos(str(tmp_path))
    assert [(it.video_id, it.label) for it in items] == [('fake/a', 1),
                                                         ('real/b', 0)]
    (tmp_path / 'bad.csv').write_text('name,y\na.mp4,1\n')
    with pytest.raises(SplitFileError, match='filename and label'):
        dfdc_videos(str(tmp_path), str(tmp_path / 'bad.csv'))
    meta = {
        'method_A/1/a.mp4': dict(label='fake', set='test'),
        'original_videos/1/a.mp4': dict(label='real', set='test'),
        'method_B/2/b.mp4': dict(label='fake', set='train'),
    }
    (tmp_path / 'dataset.json').write_text(json.dumps(meta))
    items = dfdcp_videos(str(tmp_path))
    assert [(it.video_id, it.label, it.manipulation) for it in items] == [
        ('method_A/1/a', 1, 'method_A'),
        ('original_videos/1/a', 0, 'original_videos')
    ]
    (tmp_path / 'dataset.json').write_text(json.dumps({'x.mp4': {}}))
    with pytest.raises(SplitFileError, match='x.mp4'):
        dfdcp_videos(str(tmp_path))


def test_dfd_dfw_generic(tmp_path):
    _touch(tmp_path / 'original_sequences/actors/raw/videos/01__a.mp4')
    _touch(tmp_path /
           'manipulated_sequences/DeepFakeDetection/raw/videos/01_02__a.mp4')
    items = dfd_videos(str(tmp_path))
    assert [(it.video_id, it.label) for it in items] == [
        ('DeepFakeDetection_original/01__a', 0),
        ('DeepFakeDetection/01_02__a', 1)
    ]
    _touch(tmp_path / 'dfw' / 'real_test' / 'v1.mp4')
    _touch(tmp_path / 'dfw' / 'fake_test' / 'v1.mp4')
    items = dfw_videos(str(tmp_path / 'dfw'))
    assert [(it.video_id, it.label) for it in items] == [('real_test/v1', 0),
                                                         ('fake_test/v1', 1)]
    _touch(tmp_path / 'g' / 'x.mp4')
    _touch(tmp_path / 'g' / 'x.avi')
    with pytest.raises(SplitFileError, match='same id'):
        generic_videos(str(tmp_path / 'g'), 'fake')
    with pytest.raises(SplitFileError, match='not found'):
        generic_videos(str(tmp_path / 'nope'), 'real')
