"""Tests of the CSR item-list container."""

import numpy as np
import pytest

from openrec2.errors import DTypeError, ShapeError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.item_lists import sorted_unique


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


def test_datasets_samplers_and_evaluators_share_one_structure():
    from openrec2.utils.samplers import EvaluationSampler
    train = ImplicitDataset(make_interactions([0, 0, 2, 2, 2], [4, 1, 3, 3, 0]), 3, 5, name='train')
    test = ImplicitDataset(make_interactions([0, 2], [2, 1]), 3, 5, name='test')
    assert isinstance(train.positives, ItemLists) and ItemLists.from_dataset(train) is train.positives
    np.testing.assert_array_equal(train.positives.keys, [1, 4, 10, 13])  # user * max_item + item, no repeats
    sampler = EvaluationSampler(test, 2, [train], num_negatives=2, seed=0)
    assert sampler.test_items is test.positives  # used as they are, no conversion
    assert not np.any(train.positives.contains(sampler.negative_items.row_ids, sampler.negative_items.indices))


def test_from_keys_and_empty():
    lists = ItemLists.from_keys(np.array([7, 2, 2, 5]), num_rows=3, num_items=3, name='k')
    assert [list(row) for row in lists] == [[2], [2], [1]] and lists.num_items == 3
    assert lists.contains_keys(np.array([2, 3, 7])).tolist() == [True, False, True]
    assert len(ItemLists.empty(4, 9)) == 4 and ItemLists.empty(4, 9).indices.size == 0
    with pytest.raises(ValueError):
        lists[0][0] = 1  # rows are read-only views


def test_the_old_import_path_still_works():
    from openrec2.utils.evaluators import ItemLists as FromEvaluators
    from openrec2.utils.evaluators.item_lists import ItemLists as FromOldModule
    assert FromEvaluators is ItemLists and FromOldModule is ItemLists


def reference_csr(keys, num_rows, num_items):
    """The index the build promises, written the slow, obvious way (np.unique)."""
    unique = np.unique(keys)
    rows, items = unique // num_items, unique % num_items
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=num_rows))])
    return unique, indptr, items


@pytest.mark.parametrize('seed', [0, 1, 2])
@pytest.mark.parametrize('overwrite', [False, True])
def test_from_keys_equals_np_unique_on_random_keys_with_repeats(seed, overwrite):
    rng = np.random.default_rng(seed)
    num_rows, num_items = 50, 40
    keys = rng.integers(0, num_rows * num_items, size=3000)  # many repeats
    given = keys.copy()
    lists = ItemLists.from_keys(keys, num_rows, num_items, overwrite_keys=overwrite)
    unique, indptr, items = reference_csr(given, num_rows, num_items)
    np.testing.assert_array_equal(lists.keys, unique)
    np.testing.assert_array_equal(lists.indptr, indptr)
    np.testing.assert_array_equal(lists.indices, items)
    assert lists.keys.dtype == lists.indptr.dtype == lists.indices.dtype == np.int64
    if not overwrite:
        np.testing.assert_array_equal(keys, given)  # the caller's array is left as it was


def test_from_keys_without_repeats_sorted_input_and_other_dtypes():
    keys = np.array([9, 0, 4, 5], dtype=np.int64)
    lists = ItemLists.from_keys(keys, 4, 3, overwrite_keys=True)
    assert lists.keys.tolist() == [0, 4, 5, 9] and lists.indptr.tolist() == [0, 1, 3, 3, 4]
    assert lists.indices.tolist() == [0, 1, 2, 0]
    small = ItemLists.from_keys(np.array([5, 1, 1], dtype=np.int32), 2, 3, overwrite_keys=True)
    assert small.keys.dtype == np.int64 and [r.tolist() for r in small] == [[1], [2]]
    assert ItemLists.from_keys(np.array([], dtype=np.int64), 3, 3).indptr.tolist() == [0, 0, 0, 0]
    assert [r.tolist() for r in ItemLists.from_keys(np.array([4]), 2, 3)] == [[], [1]]


def test_sorted_unique_matches_np_unique_and_copies():
    rng = np.random.default_rng(3)
    for values in (rng.integers(-5, 5, 200), np.arange(10), np.array([3]), np.array([], dtype=np.int64)):
        given = values.copy()
        out = sorted_unique(values)
        np.testing.assert_array_equal(out, np.unique(given))
        np.testing.assert_array_equal(values, given)
        assert out is not values


def test_contains_by_row_agrees_with_contains_on_random_lists():
    rng = np.random.default_rng(11)
    rows = [rng.choice(300, size=n, replace=False) for n in rng.integers(0, 300, size=60)]
    lists = ItemLists.from_lists(rows, num_items=300)
    query_rows = rng.integers(0, 60, size=5000)
    query_items = rng.integers(0, 300, size=5000)
    expected = lists.contains(query_rows, query_items)
    np.testing.assert_array_equal(lists.contains_by_row(query_rows, query_items), expected)
    assert 0.2 < expected.mean() < 0.8  # both answers are frequent
    assert lists.contains_by_row(np.array([], int), np.array([], int)).size == 0
