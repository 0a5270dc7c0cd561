# Copyright (c) laanet contributors. All rights reserved.
import json
import os
import shutil

import numpy as np
import pytest

from laanet.preprocessing import add_best_match, build_annotation

# slow: dlib landmarks of extracted videos
pytestmark = pytest.mark.slow


@pytest.fixture(scope='module')
def annotated(extracted, tmp_path_factory):
    root = tmp_path_factory.mktemp('lm')
    frames = root / 'frames'
    shutil.copytree(extracted['out'], frames)
    # A frame dlib cannot read (flat grey), to check null landmarks.
    import cv2
    cv2.imwrite(str(frames / 'carphone' / '000.png'),
                np.full((128, 128, 3), 90, np.uint8))
    ann = root / 'ann' / 'mini.json'
    report = build_annotation(str(frames), str(ann), workers=2,
                              progress=False)
    return dict(root=root, frames=frames, ann=ann, report=report,
                data=json.load(open(ann)))


def test_schema(annotated):
    data = annotated['data']
    meta = data['metainfo']
    assert meta['dataset'] == 'generic' and meta['crop_margin'] == 1.25
    assert meta['crop_size'] == 128 and meta['num_landmarks'] == 68
    assert meta['landmark_model'] == 'shape_predictor_68_face_landmarks.dat'
    entries = data['data_list']
    assert len(entries) == annotated['report']['frames'] == 19
    keys = {'img_path', 'video_id', 'frame_idx', 'label', 'manipulation',
            'landmarks'}
    for e in entries:
        assert keys <= set(e)
        assert not os.path.isabs(e['img_path'])
        assert os.path.isfile(annotated['root'] / e['img_path'])
        assert e['img_path'].startswith('frames/' + e['video_id'] + '/')
        assert e['label'] == 1 and isinstance(e['frame_idx'], int)
        if e['landmarks'] is not None:
            lms = np.array(e['landmarks'])
            assert lms.shape == (68, 2)
            assert lms.min() > -10 and lms.max() < 138
    assert {e['video_id'] for e in entries} == {
        'astronaut', 'carphone', 'lying', 't1'
    }


def test_central_box_fallback_leaves_no_null(annotated):
    rep = annotated['report']
    assert rep['frames_without_landmarks'] == []
    assert rep['landmarks_from_center_box'] >= 1
    grey = [e for e in annotated['data']['data_list']
            if e['img_path'] == 'frames/carphone/000.png'][0]
    # The central box of a 1.25 crop spans 12.8..115.2 px.
    lms = np.array(grey['landmarks'])
    assert lms[:, 0].min() > 5 and lms[:, 0].max() < 123


def test_null_landmarks_are_counted(annotated, tmp_path):
    shutil.copytree(annotated['frames'], tmp_path / 'frames')
    ann = tmp_path / 'null.json'
    rep = build_annotation(str(tmp_path / 'frames'), str(ann),
                           fallback_margin=None, progress=False)
    nulls = [e['img_path'] for e in json.load(open(ann))['data_list']
             if e['landmarks'] is None]
    assert 'frames/carphone/000.png' in nulls
    assert rep['frames_without_landmarks'] == nulls
    assert rep['frames_with_landmarks'] == rep['frames'] - len(nulls)
    assert rep['landmarks_from_center_box'] == 0


def test_same_result_with_one_worker_and_cache(annotated, tmp_path):
    ann = tmp_path / 'one.json'
    shutil.copytree(annotated['frames'], tmp_path / 'frames')
    for f in (tmp_path / 'frames').glob('*/landmarks.json'):
        f.unlink()
    build_annotation(str(tmp_path / 'frames'), str(ann), workers=1,
                     progress=False)
    assert json.load(open(ann))['data_list'] == annotated['data'][
        'data_list']
    # The per-video cache makes a re-run reuse the landmarks.
    caches = list((tmp_path / 'frames').glob('*/landmarks.json'))
    assert len(caches) == 5


def test_align(annotated, tmp_path):
    shutil.copytree(annotated['frames'], tmp_path / 'frames')
    ann = tmp_path / 'al.json'
    build_annotation(str(tmp_path / 'frames'), str(ann), align=True,
                     progress=False)
    data = json.load(open(ann))
    assert data['metainfo']['aligned'] is True
    assert len(data['data_list']) == 19
    for e in data['data_list']:
        assert e['img_path'].startswith('frames_aligned/')
        assert os.path.isfile(tmp_path / e['img_path'])
        assert os.path.isfile(tmp_path / e['orig_img_path'])
        lms, orig = np.array(e['landmarks']), np.array(e['orig_landmarks'])
        assert abs(lms[39, 1] - lms[42, 1]) < 0.05
        assert np.allclose(
            np.linalg.norm(lms[39] - lms[42]),
            np.linalg.norm(orig[39] - orig[42]), atol=0.05)


def test_best_match_other_videos_only(annotated):
    data = json.loads(json.dumps(annotated['data']))
    for e in data['data_list']:
        e['label'] = 0
    counts = add_best_match(data, k=3)
    assert counts['searched'] == 19 and counts['without_landmarks'] == 0
    by_path = {e['img_path']: e for e in data['data_list']}
    for e in data['data_list']:
        assert len(e['best_match']) == 3
        for p in e['best_match']:
            assert by_path[p]['video_id'] != e['video_id']
            assert by_path[p]['landmarks'] is not None


def test_missing_frames_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match='extract_faces'):
        build_annotation(str(tmp_path), str(tmp_path / 'a.json'),
                         progress=False)
