# Copyright (c) laanet contributors. All rights reserved.
import numpy as np

from laanet.datasets.preprocessing import normalize_landmarks, search_similar


def test_normalisation_removes_translation_and_scale():
    rng = np.random.default_rng(0)
    a = rng.random((1, 68, 2))
    b = a * 3 + 7
    na, nb = normalize_landmarks(np.concatenate([a, b]))
    assert np.allclose(na, nb, atol=1e-6)
    assert np.isclose(np.linalg.norm(na), 1)


def test_exact_neighbours_from_other_videos():
    rng = np.random.default_rng(1)
    base = rng.random((68, 2))
    # Video 'a': the base face and a near copy; video 'b': increasing
    # deformations of it.
    lms = [base, base + 1e-4]
    vids = ['a', 'a']
    for s in (0.01, 0.02, 0.05, 0.3):
        lms.append(base + s * rng.standard_normal((68, 2)))
        vids.append('b')
    nb = search_similar(np.array(lms), vids, k=3)
    assert nb[0] == [2, 3, 4]  # nearest first, never from video 'a'
    assert all(vids[j] == 'a' for j in nb[2])
    assert len(nb[2]) == 2  # only two faces exist outside video 'b'


def test_add_best_match_skips_null_and_fake():
    from laanet.datasets.preprocessing import add_best_match
    rng = np.random.default_rng(2)
    entries = [
        dict(img_path=f'{v}/{i}.png', video_id=v, label=lab,
             landmarks=rng.random((68, 2)).tolist())
        for v, lab in (('r1', 0), ('r2', 0), ('f1', 1)) for i in range(2)
    ]
    entries[0]['landmarks'] = None
    ann = dict(metainfo={}, data_list=entries)
    counts = add_best_match(ann, k=30)
    assert counts == dict(searched=3, without_landmarks=1, k=30)
    assert entries[0]['best_match'] == []
    assert sorted(entries[1]['best_match']) == ['r2/0.png', 'r2/1.png']
    assert entries[2]['best_match'] == ['r1/1.png']
    assert 'best_match' not in entries[4]  # fakes are left alone
    assert ann['metainfo']['best_match_k'] == 30
