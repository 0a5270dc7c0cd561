# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.datasets.transforms import LoadLandmarks


def test_inline_and_npy(face_results, tmp_path):
    lms = face_results['landmarks']
    out = LoadLandmarks()(dict(face_results, landmarks=lms.tolist()))
    assert out['landmarks'].dtype == np.float32
    np.testing.assert_allclose(out['landmarks'], lms)
    path = tmp_path / 'lms.npy'
    np.save(path, lms.astype(np.float64))
    res = dict(face_results, landmarks=None, landmark_path=str(path))
    np.testing.assert_allclose(LoadLandmarks()(res)['landmarks'], lms)


@pytest.mark.parametrize('lms,match', [
    (None, 'no landmarks'),
    (np.zeros((5, 2)), 'shape'),
    (np.full((68, 2), np.nan), 'NaN'),
    (np.full((68, 2), 400.), 'outside'),
])
def test_invalid_landmarks_name_the_file(face_results, lms, match):
    res = dict(face_results, landmarks=lms)
    with pytest.raises(ValueError, match=match) as err:
        LoadLandmarks()(res)
    assert 'astronaut.png' in str(err.value)


def test_tolerance_and_missing_file(face_results, tmp_path):
    lms = face_results['landmarks'].copy()
    lms[0] = [-10, 100]  # 10 px left of a 256 px crop: within 10 %
    assert LoadLandmarks()(dict(face_results, landmarks=lms))
    with pytest.raises(ValueError, match='outside'):
        LoadLandmarks(tolerance=0.)(dict(face_results, landmarks=lms))
    res = dict(face_results, landmarks=None,
               landmark_path=str(tmp_path / 'missing.npy'))
    with pytest.raises(ValueError, match='missing.npy'):
        LoadLandmarks()(res)
    assert repr(LoadLandmarks()) == ('LoadLandmarks(num_points=(68, 81), '
                                     'tolerance=0.1)')
