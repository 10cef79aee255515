"""Tests of the CSR item-list container."""

import numpy as np
import pytest

from openrec2.errors import DTypeError, ShapeError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import ItemLists
from openrec2.utils.evaluators.item_lists import sorted_unique


def test_rows_are_sorted_and_deduplicated():
    lists = ItemLists.from_lists([[3, 1, 3], [], [0]], num_items=4)
    assert len(lists) == 3
    assert [row.tolist() for row in lists] == [[1, 3], [], [0]]
    np.testing.assert_array_equal(lists.lengths, [2, 0, 1])
    np.testing.assert_array_equal(lists.row_ids, [0, 0, 2])
    assert lists[-1].tolist() == [0]


def test_take_gather_contains():
    lists = ItemLists.from_lists([[1, 3], [2], [0, 4]])
    positions, items = lists.take(np.array([2, 0, 2]))
    np.testing.assert_array_equal(positions, [0, 0, 1, 1, 2, 2])
    np.testing.assert_array_equal(items, [0, 4, 1, 3, 0, 4])
    np.testing.assert_array_equal(lists.contains(np.array([0, 0, 1, 2]), np.array([3, 2, 2, 9])),
                                  [True, False, True, False])


def test_set_operations():
    a = ItemLists.from_lists([[1, 2], [3]])
    b = ItemLists.from_lists([[2, 5], []])
    assert [r.tolist() for r in a.union(b)] == [[1, 2, 5], [3]]
    assert [r.tolist() for r in a.difference(b)] == [[1], [3]]
    with pytest.raises(ShapeError, match='has 2 rows but'):
        a.union(ItemLists.from_lists([[1]]))


def test_from_dataset_and_pairs():
    data = ImplicitDataset(make_interactions([0, 0, 2], [4, 1, 1]), max_user=3, max_item=5)
    lists = ItemLists.from_dataset(data)
    assert [r.tolist() for r in lists] == [[1, 4], [], [1]] and lists.num_items == 5
    pairs = ItemLists.from_pairs(np.array([2, 0, 0]), np.array([1, 4, 1]), num_rows=3, num_items=5)
    assert [r.tolist() for r in pairs] == [[1, 4], [], [1]]


def test_errors():
    with pytest.raises(ShapeError, match='holds item id 5 but there are only 5 items'):
        ItemLists.from_lists([[5]], num_items=5)
    with pytest.raises(ShapeError, match='negative item id'):
        ItemLists.from_lists([[-1]])
    with pytest.raises(DTypeError, match='integer item ids'):
        ItemLists.from_lists([[1.5]])
    with pytest.raises(ShapeError, match='1-D'):
        ItemLists.from_lists([[[1]]])
    with pytest.raises(ShapeError, match='indptr must start at 0'):
        ItemLists(np.array([0, 3]), np.array([1]))
    with pytest.raises(ShapeError, match='one array of item ids per row'):
        ItemLists.coerce(5, 'test_items')


def test_helpers():
    np.testing.assert_array_equal(sorted_unique(np.array([5, 1, 5, 3])), [1, 3, 5])
