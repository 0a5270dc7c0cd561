# Copyright (c) laanet contributors. All rights reserved.
"""The pure helpers of the DeepfakeBench reader."""
import pytest

from laanet.datasets.deepfakebench_utils import (DFB_LABEL_DICT,
                                                 dfb_video_name, frame_index,
                                                 label_of,
                                                 normalize_json_path,
                                                 resolve_json_path,
                                                 select_frames, sibling_path)


def test_frames_sort_by_number_not_by_text():
    paths = ['a\\frames\\v\\1000.png', 'a\\frames\\v\\999.png',
             'a\\frames\\v\\010.png', 'a\\frames\\v\\002.png']
    assert [frame_index(p) for p in sorted(paths, key=frame_index)] == [
        2, 10, 999, 1000]
    with pytest.raises(ValueError, match="'cover' of .* not an integer"):
        frame_index('a/frames/v/cover.png')


def test_paths_are_normalised_and_kept_under_the_root():
    assert normalize_json_path('.\\FF\\frames\\v\\000.png') == \
        'FF/frames/v/000.png'
    assert normalize_json_path('././FF//frames/v/000.png') == \
        'FF/frames/v/000.png'
    assert resolve_json_path('FF\\frames\\v\\000.png', '/data') == \
        '/data/FF/frames/v/000.png'
    # '..' inside the tree is fine as long as it stays under the root
    assert resolve_json_path('FF\\x\\..\\frames\\v\\0.png', '/d') == \
        '/d/FF/frames/v/0.png'
    for bad in ('..\\FF\\frames\\v\\0.png', 'FF/../../etc/passwd'):
        with pytest.raises(ValueError, match='escapes data_root'):
            resolve_json_path(bad, '/data')
    assert resolve_json_path('/abs/FF/frames/v/0.png', '/data') == \
        '/abs/FF/frames/v/0.png'
    assert resolve_json_path('C:\\old\\FF\\frames\\v\\0.png', '/data',
                             {'C:\\old': '/new'}) == '/new/FF/frames/v/0.png'


def test_deepfakebench_video_key_is_the_folder_name():
    assert dfb_video_name(
        'FF\\manipulated_sequences\\Deepfakes\\c23\\frames\\000_003\\000.png'
    ) == '000_003'
    assert dfb_video_name(
        'FF/manipulated_sequences/Face2Face/c23/frames/000_003/000.png'
    ) == '000_003'


def test_sibling_replaces_only_the_frames_component():
    assert sibling_path('/frames/root/FF/frames/v/007.png', 'landmarks',
                        '.npy') == '/frames/root/FF/landmarks/v/007.npy'
    with pytest.raises(ValueError, match='not in a frames/<video>/'):
        sibling_path('FF/images/v/007.png', 'masks', '.png')


@pytest.mark.parametrize('n, k, mode, expected', [
    (40, 32, 'deepfakebench', list(range(32))),
    (40, 4, 'linspace', [0, 13, 26, 39]),
    (3, 32, 'deepfakebench', [0, 1, 2]),
    (3, 32, 'linspace', [0, 1, 2]),
    (5, None, 'linspace', [0, 1, 2, 3, 4]),
])
def test_select_frames(n, k, mode, expected):
    assert select_frames(n, k, mode) == expected


def test_labels():
    assert label_of('FF-real', None) == 0 and label_of('FF-DF', None) == 1
    assert DFB_LABEL_DICT['DFDCP_FakeB'] == 1
    assert label_of('MidJourney_Fake', None) == 1
    assert label_of('fsgan_Real', None) == 0
    assert label_of('FF-DF', {'FF-DF': 0}) == 0
    with pytest.raises(KeyError, match='pass label_map'):
        label_of('mystery', None)
