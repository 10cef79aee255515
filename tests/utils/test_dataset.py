"""Tests of openrec2.utils.dataset: validation, the CSR positive index, membership."""

import numpy as np
import pytest

from openrec2.errors import DataError, SettingError
from openrec2.utils import Dataset, ImplicitDataset
from openrec2.utils.dataset import keys_contain, make_interactions


def random_interactions(seed=0, n=400, max_user=30, max_item=25, with_label=True):
    rng = np.random.default_rng(seed)
    label = rng.choice([-1.0, 0.0, 1.0, 3.0], size=n) if with_label else None
    return make_interactions(rng.integers(0, max_user, n), rng.integers(0, max_item, n), label=label,
                             timestamp=rng.integers(0, 10**6, n))


def positive_sets(data, max_user):
    sets = [set() for _ in range(max_user)]
    for row in data:
        if 'label' not in data.dtype.names or row['label'] > 0:
            sets[row['user_id']].add(int(row['item_id']))
    return sets


@pytest.mark.parametrize('with_label', [True, False])
def test_csr_index_matches_brute_force(with_label):
    data = random_interactions(with_label=with_label)
    dataset = ImplicitDataset(data, 30, 25, name='toy')
    expected = positive_sets(data, 30)
    assert len(dataset) == 400
    assert dataset.indptr.shape == (31,) and dataset.indptr[-1] == dataset.indices.size
    for user in range(30):
        items = dataset.positive_items(user)
        assert items.tolist() == sorted(expected[user])
    assert dataset.positive_counts.tolist() == [len(s) for s in expected]
    assert dataset.users.tolist() == [u for u in range(30) if expected[u]]
    popularity = np.zeros(25, dtype=np.int64)
    for s in expected:
        for item in s:
            popularity[item] += 1
    assert dataset.item_popularity.tolist() == popularity.tolist()
    assert dataset.num_positives == sum(len(s) for s in expected)


def test_contains_is_vectorised_membership_and_rejects_out_of_range():
    data = random_interactions(seed=1)
    dataset = Dataset(data, 30, 25)
    expected = positive_sets(data, 30)
    users, items = np.meshgrid(np.arange(30), np.arange(25), indexing='ij')
    found = dataset.contains(users, items)
    assert found.shape == (30, 25)
    assert all(found[u, i] == (i in expected[u]) for u in range(30) for i in range(25))
    assert not dataset.contains([-1, 30, 0], [0, 0, 25]).any()
    # A key of an out-of-range item must not alias the next user's item 0.
    user_with_item0 = next(u for u in range(29) if 0 in expected[u + 1])
    assert not dataset.contains(user_with_item0, 25)


def test_keys_contain_large_query_path_agrees_with_small_path():
    rng = np.random.default_rng(3)
    keys = np.unique(rng.integers(0, 10**6, size=5000))
    queries = rng.integers(0, 10**6, size=(50, 60))
    queries[0, :10] = keys[:10]
    expected = np.isin(queries, keys)
    assert np.array_equal(keys_contain(keys, queries), expected)
    assert np.array_equal(keys_contain(keys, queries[:2, :5]), expected[:2, :5])
    assert not keys_contain(np.array([], dtype=np.int64), queries).any()


def test_wide_id_space_uses_int64_keys_correctly():
    max_user, max_item = 70_000, 40_000  # product exceeds int32
    data = make_interactions([max_user - 1, 5], [max_item - 1, 7])
    dataset = Dataset(data, max_user, max_item)
    assert dataset.contains([max_user - 1, 5, 5], [max_item - 1, 7, 8]).tolist() == [True, True, False]


def test_item_lists_and_legacy_aliases():
    data = make_interactions([2, 2, 0, 2], [4, 1, 3, 1])
    dataset = ImplicitDataset(data, 4, 5)
    assert [a.tolist() for a in dataset.item_lists()] == [[3], [1, 4]]
    assert [a.tolist() for a in dataset.item_lists([2, 1, 0])] == [[1, 4], [], [3]]
    assert dataset.get_unique_user_list().tolist() == [0, 2]
    assert {u: v.tolist() for u, v in dataset.get_interactions_by_user_gb_item().items()} == {0: [3], 2: [1, 4]}
    assert dataset.contain_user_item(2, 4) is True
    assert dataset.contain_user_item(1, 4) is False
    with pytest.raises(DataError, match='user ids must lie in'):
        dataset.item_lists([4])
    with pytest.raises(DataError, match='out of range'):
        dataset.positive_items(-1)


def test_extra_fields_are_kept():
    data = np.zeros(3, dtype=[('user_id', np.int32), ('item_id', np.int32), ('weight', np.float64)])
    data['weight'] = [0.5, 1.5, 2.5]
    dataset = Dataset(data, 1, 1)
    assert dataset.data['weight'].tolist() == [0.5, 1.5, 2.5]
    assert dataset.num_positives == 1


def test_not_a_structured_array_is_rejected():
    with pytest.raises(DataError, match="Dataset 'bad'.*structured array"):
        Dataset(np.zeros((3, 2), dtype=np.int64), 2, 2, name='bad')


def test_missing_field_is_rejected():
    data = np.zeros(2, dtype=[('user_id', np.int64), ('item', np.int64)])
    with pytest.raises(DataError, match=r"lacks field\(s\) \['item_id'\]"):
        Dataset(data, 2, 2)


def test_float_ids_are_rejected():
    data = np.zeros(2, dtype=[('user_id', np.float32), ('item_id', np.int64)])
    with pytest.raises(DataError, match="'user_id' must be an integer dtype"):
        Dataset(data, 2, 2)


def test_out_of_range_item_names_the_fix():
    data = make_interactions([0, 1], [0, 5])
    with pytest.raises(DataError, match=r"item_id values must lie in \[0, max_item=5\).*at least 6"):
        Dataset(data, 2, 5, name='toy')


def test_negative_user_is_rejected():
    data = make_interactions([-1, 1], [0, 1])
    with pytest.raises(DataError, match='user_id values must lie in'):
        Dataset(data, 2, 5)


@pytest.mark.parametrize('max_user', [0, -3, 2.5, True])
def test_bad_max_user_is_rejected(max_user):
    with pytest.raises(SettingError, match='`max_user` must be an integer >= 1'):
        Dataset(make_interactions([0], [0]), max_user, 5)


def test_make_interactions_checks_lengths():
    with pytest.raises(DataError, match='columns differ in length'):
        make_interactions([0, 1], [0])


# ---------------------------------------------------------------- legacy OpenRec accessors
def _legacy_dataset():
    raw = np.array([(0, 3), (2, 1), (2, 4), (2, 1)], dtype=[('user_id', np.int32), ('item_id', np.int32)])
    return ImplicitDataset(raw_data=raw, max_user=4, max_item=6, name='Train')


def test_legacy_counts_and_unique_lists():
    dataset = _legacy_dataset()
    assert dataset.max_user() == 4 and dataset.max_item() == 6 and dataset.max_item + 1 == 7
    assert dataset.unique_user_count() == 2 and dataset.unique_item_count() == 3
    assert dataset.get_unique_user_list().tolist() == [0, 2]
    assert dataset.get_unique_item_list().tolist() == [1, 3, 4]


def test_legacy_contain_user_and_item():
    dataset = _legacy_dataset()
    assert dataset.contain_user(2) and not dataset.contain_user(1) and not dataset.contain_user(99)
    assert dataset.contain_item(4) and not dataset.contain_item(0) and not dataset.contain_item(-1)


def test_legacy_grouped_interactions_are_sets_keyed_by_id():
    dataset = _legacy_dataset()
    assert dataset.get_interactions_by_user_gb_item(2) == {1, 4}
    assert dataset.get_interactions_by_user_gb_item(np.int32(0)) == {3}
    assert dataset.get_interactions_by_item_gb_user(1) == {2}
    assert dataset.get_interactions_by_item_gb_user(3) == {0}
    # openrec2's call without an id still returns every user's items
    assert {u: v.tolist() for u, v in dataset.get_interactions_by_user_gb_item().items()} == {0: [3], 2: [1, 4]}


def test_legacy_lookup_of_an_id_without_interactions_is_a_key_error():
    dataset = _legacy_dataset()
    with pytest.raises(KeyError, match='user 1 has no positive'):
        dataset.get_interactions_by_user_gb_item(1)
    with pytest.raises(DataError, match='item 0 has no positive'):
        dataset.get_interactions_by_item_gb_user(0)
    with pytest.raises(DataError, match='out of range'):
        dataset.get_interactions_by_user_gb_item(7)
    with pytest.raises(DataError, match='must be an integer'):
        dataset.get_interactions_by_item_gb_user(1.5)


def test_legacy_shuffle_reorders_data_not_raw_data_nor_the_index():
    dataset = _legacy_dataset()
    before = dataset.get_interactions_by_user_gb_item(2)
    np.random.seed(3)
    dataset.shuffle()
    first = dataset.data.copy()
    assert sorted(first.tolist()) == sorted(dataset.raw_data.tolist())
    assert dataset.raw_data.tolist() == [(0, 3), (2, 1), (2, 4), (2, 1)]
    assert dataset.get_interactions_by_user_gb_item(2) == before
    np.random.seed(3)
    dataset.shuffle()
    assert dataset.data.tolist() == first.tolist()  # legacy: numpy's global generator
    dataset.shuffle(seed=1)
    again = dataset.data.tolist()
    dataset.shuffle(seed=1)
    assert dataset.data.tolist() == again
    assert not dataset.data.flags.writeable


@pytest.mark.parametrize('id_dtype', [np.int64, np.int32, np.uint32])
@pytest.mark.parametrize('labels', ['mixed', 'all positive', 'none'])
def test_positive_index_equals_np_unique_of_the_positive_rows(id_dtype, labels):
    rng = np.random.default_rng(7)
    n, max_user, max_item = 5000, 60, 45
    fields = [('user_id', id_dtype), ('item_id', id_dtype)]
    if labels != 'none':
        fields.append(('label', np.float32))
    data = np.zeros(n, dtype=fields + [('timestamp', np.int64)])
    data['user_id'] = rng.integers(0, max_user - 5, n)  # the last users have no row
    data['item_id'] = rng.integers(0, max_item, n)
    if labels == 'mixed':
        data['label'] = rng.choice([-1.0, 0.0, 0.5, 2.0], size=n)
    elif labels == 'all positive':
        data['label'] = 1.0
    dataset = Dataset(data, max_user, max_item)
    users, items = dataset.positive_rows()
    keys = np.unique(users * max_item + items)
    np.testing.assert_array_equal(dataset.positive_keys, keys)
    np.testing.assert_array_equal(dataset.indices, keys % max_item)
    counts = np.bincount(keys // max_item, minlength=max_user)
    np.testing.assert_array_equal(dataset.indptr, np.concatenate([[0], np.cumsum(counts)]))
    np.testing.assert_array_equal(dataset.users, np.flatnonzero(counts))
    np.testing.assert_array_equal(dataset.item_popularity, np.bincount(keys % max_item, minlength=max_item))
    assert dataset.indptr.dtype == dataset.indices.dtype == np.int64
    assert not dataset.raw_data.flags.writeable and dataset.raw_data['user_id'].dtype == id_dtype
