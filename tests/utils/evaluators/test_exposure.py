"""Tests of the item-exposure measures of top-K lists."""

import numpy as np
import pytest

from openrec2.errors import DTypeError, ShapeError
from openrec2.utils.evaluators import (catalog_coverage, exposure_gini, item_exposure, mean_popularity,
                                       tail_share, top_k_indices)

LISTS = np.array([[0, 1, -1],
                  [1, 2, 3],
                  [1, -1, -1]])


def test_item_exposure_counts_lists_per_item_and_skips_empty_slots():
    assert item_exposure(LISTS, 6).tolist() == [1, 3, 1, 1, 0, 0]
    assert item_exposure(np.zeros((0, 5), dtype=np.int64), 3).tolist() == [0, 0, 0]


def test_catalog_coverage_is_the_share_of_items_shown():
    assert catalog_coverage(LISTS, 6) == pytest.approx(4 / 6)
    assert catalog_coverage(np.full((2, 3), -1), 4) == 0.0


def test_gini_is_zero_when_equal_and_maximal_when_one_item_takes_all():
    assert exposure_gini(np.array([3, 3, 3, 3])) == pytest.approx(0.0)
    assert exposure_gini(np.array([0, 0, 0, 8])) == pytest.approx(1 - 1 / 4)
    assert exposure_gini(np.zeros(5)) == 0.0
    # Against the mean-absolute-difference definition G = sum|x_i - x_j| / (2 n^2 mean).
    values = np.random.default_rng(0).integers(0, 20, size=50)
    expected = np.abs(values[:, None] - values[None, :]).sum() / (2 * values.size ** 2 * values.mean())
    assert exposure_gini(values) == pytest.approx(expected)
    # Concentrating exposure raises it.
    assert exposure_gini(item_exposure(np.zeros((10, 1), dtype=int), 5)) > exposure_gini(
        item_exposure(np.arange(10).reshape(10, 1) % 5, 5))


def test_tail_share_and_mean_popularity():
    assert tail_share(LISTS, [2, 3, 4]) == pytest.approx(2 / 6)
    assert np.isnan(tail_share(np.full((1, 2), -1), [0]))
    popularity = np.array([10.0, 20.0, 30.0, 40.0, 0.0, 0.0])
    assert mean_popularity(LISTS, popularity) == pytest.approx((10 + 20 + 20 + 30 + 40 + 20) / 6)
    per_list = mean_popularity(np.vstack([LISTS, [[-1, -1, -1]]]), popularity, per_list=True)
    assert per_list[:3] == pytest.approx([15.0, 30.0, 20.0]) and np.isnan(per_list[3])


def test_works_on_the_output_of_top_k_indices():
    scores = np.array([[0.1, 0.9, -np.inf, 0.5], [0.3, 0.2, 0.1, -np.inf]])
    top = top_k_indices(scores, 3)
    assert top.tolist() == [[1, 3, 0], [0, 1, 2]]
    assert item_exposure(top, 4).tolist() == [2, 2, 1, 1]


def test_bad_input_raises_errors_that_say_what_to_pass():
    with pytest.raises(ShapeError, match='2-D'):
        item_exposure(np.array([0, 1]), 3)
    with pytest.raises(DTypeError, match='integer item ids'):
        item_exposure(np.array([[0.5, 1.0]]), 3)
    with pytest.raises(ShapeError, match='num_items is 3'):
        item_exposure(np.array([[0, 3]]), 3)
    with pytest.raises(ShapeError, match='-1 marks an empty slot'):
        catalog_coverage(np.array([[-2, 0]]), 3)
    with pytest.raises(ShapeError, match='positive integer'):
        item_exposure(LISTS, 0)
    with pytest.raises(DTypeError, match='non-negative'):
        exposure_gini(np.array([1, -1]))
    with pytest.raises(ShapeError, match='1-D'):
        exposure_gini(np.ones((2, 2)))
    with pytest.raises(ShapeError, match='1-D'):
        mean_popularity(LISTS, np.ones((6, 1)))
