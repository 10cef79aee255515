"""Tests of the feature-matrix helpers of the loaders (multi-hot, one-hot)."""

import numpy as np
import pytest

from openrec2.datasets.side_features import multi_hot, one_hot


def test_multi_hot_keeps_columns_used_by_enough_rows():
    matrix, kept = multi_hot([0, 0, 1, 2, 2, 2], [7, 3, 7, 3, 9, 3], n_rows=4, min_rows=2)
    assert kept.tolist() == [3, 7]
    np.testing.assert_array_equal(matrix, [[1, 1], [0, 1], [1, 0], [0, 0]])
    assert matrix.dtype == np.float32


def test_one_hot_rows_and_unknown_values():
    np.testing.assert_array_equal(one_hot(["b", "a", "b"], ["a", "b"]), [[0, 1], [1, 0], [0, 1]])
    with pytest.raises(KeyError):
        one_hot(["c"], ["a", "b"])
