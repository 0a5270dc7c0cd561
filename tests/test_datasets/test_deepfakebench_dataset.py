# Copyright (c) laanet contributors. All rights reserved.
"""DeepfakeBenchDataset on toy DeepfakeBench trees (both JSON layouts,
Windows and POSIX paths, folders and LMDB) and on broken JSONs."""
import copy
import json
import os
import os.path as osp

import numpy as np
import pytest
from mmcv.transforms import LoadImageFromFile

from laanet.datasets import DeepfakeBenchDataset
from laanet.datasets.transforms import (BlendImages, LoadLandmarks,
                                        PackDeepfakeInputs, SelfBlend)
from laanet.testing import make_deepfakebench_tree


@pytest.fixture(scope='module')
def ffpp(tmp_path_factory):
    """FaceForensics++ (nested), Windows paths, LMDB written on Linux."""
    return make_deepfakebench_tree(
        str(tmp_path_factory.mktemp('dfb_ffpp')), layout='nested', lmdb=True)


@pytest.fixture(scope='module')
def celebdf(tmp_path_factory):
    """Celeb-DF-v2 (flat), POSIX paths, LMDB written on Windows."""
    return make_deepfakebench_tree(
        str(tmp_path_factory.mktemp('dfb_cdf')),
        layout='flat',
        backslash=False,
        num_frames=3,
        lmdb=True,
        lmdb_style='windows')


def _build(tree, **kwargs):
    args = dict(
        json_file=tree['json_file'],
        dataset_name=tree['dataset_name'],
        data_root=tree['rgb_dir'],
        serialize_data=False)  # its gc.collect() takes ~0.4 s per build
    args.update(kwargs)
    return DeepfakeBenchDataset(**args)


def _infos(ds):
    return [ds.get_data_info(i) for i in range(len(ds))]


def _edited(tree, tmp_path, edit):
    """A copy of the tree's JSON changed by ``edit(content)``."""
    with open(tree['json_file']) as f:
        data = json.load(f)
    edit(data[tree['dataset_name']])
    path = str(tmp_path / f'edited{len(list(tmp_path.glob("*.json")))}.json')
    with open(path, 'w') as f:
        json.dump(data, f)
    return dict(tree, json_file=path)


@pytest.mark.parametrize('tree_name', ['ffpp', 'celebdf'])
def test_samples_labels_ids_and_frame_order(tree_name, request):
    tree = request.getfixturevalue(tree_name)
    ds = _build(tree)
    infos = _infos(ds)
    expected = {k: v for k, v in tree['videos'].items() if k[0] == 'test'}
    assert len(ds) == sum(len(v) for v in expected.values())
    by_video = {}
    for info in infos:
        by_video.setdefault(info['video_id'], []).append(info)
    assert set(by_video) == {
        f'{tree["dataset_name"]}/{key}/{video}'
        for _, key, video in expected
    }
    for (_, key, video), frames in expected.items():
        got = by_video[f'{tree["dataset_name"]}/{key}/{video}']
        # the JSON lists frames shuffled; samples follow the frame number
        assert [i['dfb_frame_path'] for i in got] == frames
        assert [i['frame_idx'] for i in got] == [0, 7, 14, 21][:len(got)]
        real = key in ('FF-real', 'CelebDFv2_real')
        for info in got:
            assert info['gt_label'] == info['label'] == (0 if real else 1)
            assert info['label_key'] == info['method'] == key
            assert info['manipulation'] == ('original' if real else key)
            assert info['dfb_video_id'] == video
            assert osp.isfile(info['img_path'])
            assert info['img_path'].endswith(
                info['dfb_frame_path'].replace('\\', '/'))
            assert osp.isfile(info['landmark_path'])
    assert ds.metainfo['layout'] == ('nested'
                                     if tree_name == 'ffpp' else 'flat')
    assert ds.get_video_ids() == [i['video_id'] for i in infos]


def test_dfb_video_id_merges_methods_video_id_does_not(ffpp):
    infos = _infos(_build(ffpp))
    fakes = [i for i in infos if i['gt_label'] == 1]
    # FF-DF and FF-F2F hold the same video names: DeepfakeBench's key
    # merges them, the full id keeps them apart
    assert len({i['video_id'] for i in fakes}) == 4
    assert len({i['dfb_video_id'] for i in fakes}) == 2


def test_masks_and_landmarks(ffpp):
    ds = _build(ffpp, with_landmarks=True)
    first68 = _build(ffpp, with_landmarks=True, landmark_points=68)
    np.testing.assert_array_equal(
        first68.get_data_info(0)['landmarks'],
        ds.get_data_info(0)['landmarks'][:68])
    for info in _infos(ds):
        lms = info['landmarks']
        assert lms.shape == (81, 2) and lms.dtype == np.float32
        assert 'landmark_path' not in info
        if info['gt_label'] == 1:
            assert osp.isfile(info['mask_path'])
            assert osp.basename(info['mask_path']) == osp.basename(
                info['img_path'])
            assert '/masks/' in info['mask_path']
        else:
            assert 'mask_path' not in info


@pytest.mark.parametrize('tree_name', ['ffpp', 'celebdf'])
def test_lmdb_reads_the_same_images_and_landmarks(tree_name, request):
    tree = request.getfixturevalue(tree_name)
    folders = _build(tree, with_landmarks=True)
    lmdb = _build(tree, with_landmarks=True, lmdb_dir=tree['lmdb_dir'])
    assert len(folders) == len(lmdb)
    load = LoadImageFromFile()
    for a, b in zip(_infos(folders), _infos(lmdb)):
        assert b['img_path'].startswith('dfblmdb://')
        assert a['dfb_frame_path'] == b['dfb_frame_path']
        assert a['video_id'] == b['video_id']
        np.testing.assert_array_equal(a['landmarks'], b['landmarks'])
        np.testing.assert_array_equal(
            load(dict(img_path=a['img_path']))['img'],
            load(dict(img_path=b['img_path']))['img'])
        if 'mask_path' in a:
            np.testing.assert_array_equal(
                load(dict(img_path=a['mask_path']))['img'],
                load(dict(img_path=b['mask_path']))['img'])


def test_train_pipelines_run_from_lmdb(ffpp):
    """SBI (81 points) and BI (a partner read from LMDB) from the LMDB."""
    ds = _build(
        ffpp,
        split='train',
        label_keys=['FF-real'],
        with_landmarks=True,
        require_landmarks=True,
        lmdb_dir=ffpp['lmdb_dir'],
        pipeline=[
            LoadImageFromFile(),
            LoadLandmarks(),
            SelfBlend(pair=True),
            PackDeepfakeInputs(pair=True)
        ])
    assert {i['gt_label'] for i in _infos(ds)} == {0}
    np.random.seed(0)
    out = ds[0]
    assert tuple(out['inputs'].shape[:2]) == (2, 3)
    real, fake = out['data_samples']
    assert (real.gt_label.item(), fake.gt_label.item()) == (0, 1)
    assert real.dfb_frame_path == ds.get_data_info(0)['dfb_frame_path']
    assert real.method == 'FF-real'
    partner = ds.get_data_info(len(ds) - 1)['img_path']
    res = LoadImageFromFile()(dict(img_path=ds.get_data_info(0)['img_path']))
    res.update(landmarks=ds.get_data_info(0)['landmarks'][:68],
               best_match=[partner])
    res = BlendImages(prob_fake=1.)(res)
    assert res['gt_label'] == 1 and res['partner_path'] == partner


def test_frame_selection(ffpp):
    first = _infos(_build(ffpp, frames_per_video=2))
    spaced = _infos(_build(ffpp, frames_per_video=2,
                           frame_selection='linspace'))
    assert {i['frame_idx'] for i in first} == {0, 7}
    assert {i['frame_idx'] for i in spaced} == {0, 21}
    assert len(_build(ffpp, frames_per_video=None)) == len(
        _build(ffpp, frames_per_video=32))
    with pytest.raises(ValueError, match='frame_selection'):
        _build(ffpp, frame_selection='random')


def test_label_keys_and_label_map(ffpp):
    reals = _infos(_build(ffpp, label_keys=['FF-real']))
    assert {i['label_key'] for i in reals} == {'FF-real'}
    custom = dict(_build(ffpp, label_map={
        'FF-real': 0, 'FF-DF': 1, 'FF-F2F': 0}).get_data_info(0))
    assert custom['gt_label'] == 0
    with pytest.raises(ValueError, match=r"'FF-F2F' is not in label_map"):
        _build(ffpp, label_map={'FF-real': 0, 'FF-DF': 1})
    with pytest.raises(ValueError, match=r"no label key\(s\) \['FF-NT'\]"):
        _build(ffpp, label_keys=['FF-NT'])


def test_unknown_label_key_and_df40_suffixes(ffpp, tmp_path):
    def rename(content, new):
        content[new] = content.pop('FF-F2F')
        for split in content[new].values():
            for videos in split.values():
                for rec in videos.values():
                    rec['label'] = new

    df40 = _edited(ffpp, tmp_path, lambda c: rename(c, 'inswap_Fake'))
    infos = _infos(_build(df40))
    assert {i['gt_label'] for i in infos if i['method'] == 'inswap_Fake'
            } == {1}
    unknown = _edited(ffpp, tmp_path, lambda c: rename(c, 'FF-XX'))
    with pytest.raises(ValueError, match="unknown label key 'FF-XX'"):
        _build(unknown)


def test_missing_frames_are_counted_before_any_work(ffpp, tmp_path):
    def add_missing(content):
        for rec in content['FF-DF']['test']['c23'].values():
            rec['frames'].append(rec['frames'][0].rsplit('\\', 1)[0] +
                                 '\\099.png')

    tree = _edited(ffpp, tmp_path, add_missing)
    with pytest.raises(FileNotFoundError) as err:
        _build(tree)
    assert '2 listed frame(s) not found' in str(err.value)
    assert '099.png' in str(err.value)
    with pytest.raises(FileNotFoundError, match='2 listed frame') as err:
        _build(tree, lmdb_dir=ffpp['lmdb_dir'])
    assert 'skips every folder' not in str(err.value)

    def add_video_folder(content):
        rec = content['FF-real']['test']['c23']['002']
        rec['frames'].append(
            'FaceForensics++\\original_videos\\frames\\a\\000.png')

    videos = _edited(ffpp, tmp_path, add_video_folder)
    with pytest.raises(FileNotFoundError, match='skips every folder'):
        _build(videos, lmdb_dir=ffpp['lmdb_dir'])
    skipped = _build(tree, on_missing='skip')
    assert len(skipped) == len(_build(ffpp))
    assert len(skipped.missing_frames) == 2


@pytest.mark.parametrize('edit, match', [
    (lambda c: c['FF-DF']['test']['c23']['002_003'].pop('frames'),
     r"\['002_003'\]: not a video record"),
    (lambda c: c['FF-DF']['test']['c23']['002_003'].update(frames='x.png'),
     r"\['002_003'\]\[\"frames\"\]: expected a list"),
    (lambda c: c['FF-DF']['test']['c23']['002_003']['frames'].append(
        'FaceForensics++\\x\\frames\\002_003\\last.png'),
     "'last' of .* is not an integer"),
    (lambda c: c['FF-DF']['test']['c23']['002_003']['frames'].append(
        '..\\..\\etc\\frames\\002_003\\000.png'),
     'escapes data_root'),
    (lambda c: c['FF-DF'].pop('test'), "\\['FF-DF'\\] has no 'test' split"),
])
def test_malformed_entries_are_named(ffpp, tmp_path, edit, match):
    with pytest.raises(ValueError, match=match):
        _build(_edited(ffpp, tmp_path, edit))


def test_escaping_path_refused_in_lmdb_mode(ffpp, tmp_path):
    tree = _edited(
        ffpp, tmp_path, lambda c: c['FF-DF']['test']['c23']['002_003'][
            'frames'].append('../FaceForensics++/frames/002_003/000.png'))
    with pytest.raises(ValueError, match='escapes data_root'):
        _build(tree, lmdb_dir=ffpp['lmdb_dir'])


def test_dfdc_val_defect_is_named(celebdf, tmp_path):
    def dfdc_val(content):
        rec = next(iter(content['CelebDFv2_fake']['test'].values()))
        content['CelebDFv2_fake']['val'] = copy.deepcopy(rec)

    tree = _edited(celebdf, tmp_path, dfdc_val)
    with pytest.raises(ValueError, match="DFDC 'val' split") as err:
        _build(tree, split='val')
    assert "split='test'" in str(err.value)
    assert len(_build(tree, split='test')) == len(_build(celebdf))


def test_compression_levels_and_c40_names(ffpp, tmp_path):
    with pytest.raises(ValueError, match="no 'raw' level"):
        _build(ffpp, compression='raw')

    def to_c40(content):
        for node in content.values():
            for split in node.values():
                split['c40'] = split.pop('c23')

    tree = _edited(ffpp, tmp_path, to_c40)
    ds = _build(tree, dataset_name='FaceForensics++_c40')
    assert ds.metainfo['compression'] == 'c40'
    assert len(ds) == len(_build(ffpp))


def test_json_errors(ffpp, tmp_path):
    with pytest.raises(FileNotFoundError, match='JSON not found'):
        _build(ffpp, json_file=str(tmp_path / 'none.json'))
    with pytest.raises(ValueError, match="no data set 'Celeb-DF-v2'"):
        _build(ffpp, dataset_name='Celeb-DF-v2')
    bad = tmp_path / 'bad.json'
    bad.write_text('{"FaceForensics++": ')
    with pytest.raises(ValueError, match='is not valid JSON'):
        _build(ffpp, json_file=str(bad))
    empty = tmp_path / 'empty.json'
    empty.write_text('{"FaceForensics++": {}}')
    with pytest.raises(ValueError, match='empty DeepfakeBench JSON'):
        _build(ffpp, json_file=str(empty))


def test_absolute_paths_re_rooted_with_path_map(celebdf, tmp_path):
    def absolute(content):
        for node in content.values():
            for rec in node['test'].values():
                rec['frames'] = [
                    '/old/machine/rgb/' + p for p in rec['frames']
                ]

    tree = _edited(celebdf, tmp_path, absolute)
    with pytest.raises(FileNotFoundError, match='/old/machine/rgb/Celeb'):
        _build(tree)
    ds = _build(tree, path_map={'/old/machine/rgb': celebdf['rgb_dir']})
    assert len(ds) == len(_build(celebdf))
    assert all(
        osp.isfile(i['img_path']) and i['dfb_frame_path'].startswith('/old')
        for i in _infos(ds))


def test_method_from_folder(celebdf):
    infos = _infos(_build(celebdf, method_source='folder'))
    assert {i['method'] for i in infos} == {'Celeb-real', 'Celeb-synthesis'}


def test_best_match_file(ffpp, tmp_path):
    ds = _build(ffpp, split='train', label_keys=['FF-real'])
    paths = [i['dfb_frame_path'] for i in _infos(ds)]
    table = {paths[0]: paths[-2:]}
    path = tmp_path / 'best_match.json'
    path.write_text(json.dumps(table))
    for lmdb_dir in (None, ffpp['lmdb_dir']):
        ds = _build(ffpp, split='train', label_keys=['FF-real'],
                    best_match_file=str(path), lmdb_dir=lmdb_dir)
        first = ds.get_data_info(0)
        assert len(first['best_match']) == 2
        load = LoadImageFromFile()
        assert load(dict(img_path=first['best_match'][0]))['img'].shape == (
            256, 256, 3)
        assert 'best_match' not in ds.get_data_info(1)
    path.write_text(
        json.dumps({paths[0]: ['FaceForensics++/x/frames/a/0.png']}))
    with pytest.raises(FileNotFoundError, match='partner'):
        _build(ffpp, split='train', label_keys=['FF-real'],
               best_match_file=str(path))


def test_argument_checks(ffpp):
    with pytest.raises(ValueError, match='on_missing'):
        _build(ffpp, on_missing='ignore')
    with pytest.raises(ValueError, match='require_landmarks needs'):
        _build(ffpp, require_landmarks=True)
    with pytest.raises(ValueError, match='landmark_points needs'):
        _build(ffpp, landmark_points=68)
    with pytest.raises(ValueError, match='frames_per_video must be >= 1'):
        _build(ffpp, frames_per_video=0)
    with pytest.raises(FileNotFoundError, match='not a DeepfakeBench LMDB'):
        _build(ffpp, lmdb_dir=os.path.dirname(ffpp['json_file']))
