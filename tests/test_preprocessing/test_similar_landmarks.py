# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.preprocessing import (normalize_landmarks, search_similar,
                                  search_similar_official)


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
    from laanet.preprocessing import add_best_match
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


def _brute_force(lms, vids, i, k):
    """Sum of per-point distances on the raw points, other videos only."""
    dist = [(np.linalg.norm(lms[j] - lms[i], axis=1).sum(), j)
            for j in range(len(lms)) if vids[j] != vids[i] and lms[j].any()]
    return [j for _, j in sorted(dist)[:k]]


def test_official_search_ranks_raw_landmarks_without_alignment():
    rng = np.random.default_rng(3)
    base = rng.random((68, 2)) * 100 + 50
    lms = [base,
           base + 20,  # the same face shape, moved by 20 px
           base + rng.normal(0, 2, (68, 2)),  # a different shape, in place
           (base - base.mean(0)) * 1.5 + base.mean(0),  # the same, larger
           np.zeros((68, 2))]  # no landmarks: never a partner
    vids = ['q', 'a', 'b', 'c', 'd']
    nb = search_similar_official(np.array(lms), vids, k=4)
    # raw distances: the face in place wins; alignment would pick the
    # moved and the scaled copies (distance 0 once normalised)
    assert nb[0] == [2, 3, 1]
    assert search_similar(np.array(lms[:4]), vids[:4], k=3)[0][2] == 2
    assert nb[4] == []  # a face without landmarks gets no partner
    for i in range(4):
        assert nb[i] == _brute_force(np.array(lms), vids, i, 4)


def test_official_search_samples_candidates():
    rng = np.random.default_rng(4)
    lms = rng.random((40, 68, 2)) * 200
    vids = [f'v{i // 4}' for i in range(40)]
    nb = search_similar_official(lms, vids, k=5, num_candidates=12, seed=1)
    again = search_similar_official(lms, vids, k=5, num_candidates=12,
                                    seed=1)
    assert nb == again
    full = search_similar_official(lms, vids, k=5, num_candidates=40)
    assert full == [_brute_force(lms, vids, i, 5) for i in range(40)]
    # 12 of 40 faces per query: mostly not the global nearest
    assert sum(a == b for a, b in zip(nb, full)) < 20
    for i, found in enumerate(nb):
        assert all(vids[j] != vids[i] for j in found)


def test_add_best_match_methods():
    from laanet.preprocessing import add_best_match
    rng = np.random.default_rng(5)
    entries = [dict(img_path=f'v{i}.png', video_id=f'v{i}', label=0,
                    landmarks=(rng.random((68, 2)) * 100).tolist())
               for i in range(6)]
    ann = dict(data_list=entries)
    add_best_match(ann, k=2)
    assert ann['metainfo'] == dict(best_match_k=2,
                                   best_match_method='official')
    lms = np.array([e['landmarks'] for e in entries])
    vids = [e['video_id'] for e in entries]
    assert entries[0]['best_match'] == [
        f'v{j}.png' for j in _brute_force(lms, vids, 0, 2)]
    add_best_match(ann, k=2, method='aligned')
    assert ann['metainfo']['best_match_method'] == 'aligned'
    with pytest.raises(ValueError, match='method'):
        add_best_match(ann, method='nearest')
