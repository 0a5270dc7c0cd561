# Copyright (c) laanet contributors. All rights reserved.
import numpy as np
import pytest

from laanet.evaluation.functional import reliability_bins


def test_reliability_bins_counts_means_and_fractions():
    scores = [0.05, 0.15, 0.12, 0.55, 1.0, 0.95]
    labels = [0, 0, 1, 1, 1, 0]
    bins = reliability_bins(scores, labels, num_bins=4)
    np.testing.assert_allclose(bins['edges'], [0, 0.25, 0.5, 0.75, 1])
    # a score of 1 falls in the last bin; the second bin is empty
    np.testing.assert_array_equal(bins['count'], [3, 0, 1, 2])
    np.testing.assert_allclose(bins['mean_score'][[0, 2, 3]],
                               [0.32 / 3, 0.55, 0.975])
    np.testing.assert_allclose(bins['fake_fraction'][[0, 2, 3]],
                               [1 / 3, 1, 0.5])
    assert np.isnan(bins['mean_score'][1]) and np.isnan(
        bins['fake_fraction'][1])


def test_reliability_bins_errors():
    with pytest.raises(ValueError, match=r'probabilities in \[0, 1\]'):
        reliability_bins([0.2, 1.5], [0, 1])
    with pytest.raises(ValueError, match='num_bins'):
        reliability_bins([0.2, 0.5], [0, 1], num_bins=0)
