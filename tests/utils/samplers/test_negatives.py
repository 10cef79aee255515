"""Tests of the vectorised negative sampling helper."""

import numpy as np
import pytest
from sampler_fixtures import ml100k_train, requires_data, toy_dataset

from openrec2.errors import DataError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.samplers.negatives import sample_negatives


@requires_data
def test_no_positive_is_ever_a_negative_on_ml100k():
    dataset = ml100k_train()
    rng = np.random.default_rng(0)
    users = np.repeat(dataset.users, 50)
    negatives = sample_negatives(rng, users, dataset, per_user=4)
    assert negatives.shape == (users.size, 4)
    assert not dataset.contains(users[:, None], negatives).any()
    assert negatives.min() >= 0 and negatives.max() < dataset.max_item


def test_every_item_is_reachable_including_the_last():
    dataset = ImplicitDataset(make_interactions([0, 1], [0, 1]), 2, 7)
    negatives = sample_negatives(np.random.default_rng(1), np.array([0, 1] * 500), dataset)
    assert set(negatives[0::2].tolist()) == set(range(1, 7))
    assert set(negatives[1::2].tolist()) == {0, 2, 3, 4, 5, 6}


def test_nearly_full_user_gets_its_only_negative():
    dataset = toy_dataset()
    negatives = sample_negatives(np.random.default_rng(2), np.zeros(200, np.int64), dataset)
    assert (negatives == dataset.max_item - 1).all()


def test_user_owning_every_item_is_an_error():
    dataset = ImplicitDataset(make_interactions([0, 0, 0, 1], [0, 1, 2, 0]), 2, 3, name='full')
    with pytest.raises(DataError, match=r"user\(s\) \[0\] of dataset 'full' have all 3 items"):
        sample_negatives(np.random.default_rng(0), np.array([1, 0]), dataset)


def test_the_bitset_membership_agrees_with_the_sorted_key_search():
    from openrec2.utils.item_lists import ItemLists
    from openrec2.utils.samplers import negatives

    rng = np.random.default_rng(11)
    lists = ItemLists.from_lists([np.unique(rng.integers(0, 50, rng.integers(0, 30))) for _ in range(40)],
                                 num_items=50)
    queries = rng.integers(0, 40 * 50, 5000)
    test = negatives.key_membership(lists)
    assert test is not lists.contains_keys  # 2,000 cells: the bitset
    np.testing.assert_array_equal(test(queries), lists.contains_keys(queries))
    assert negatives.key_membership(lists) is test  # built once per lists


def test_a_key_space_beyond_the_bitset_limit_searches_inside_rows_with_the_same_answers(monkeypatch):
    from openrec2.utils.item_lists import ItemLists
    from openrec2.utils.samplers import negatives

    monkeypatch.setattr(negatives, "BITSET_MAX_BYTES", 10)
    rng = np.random.default_rng(3)
    rows = [rng.choice(100, size=n, replace=False) for n in (0, 1, 2, 37, 99, 100, 5)]
    lists = ItemLists.from_lists(rows, num_items=100)
    test = negatives.key_membership(lists)
    assert test is not lists.contains_keys and negatives.key_membership(lists) is test
    queries = rng.integers(0, len(rows) * 100, size=(40, 25))  # every row, hits and misses
    np.testing.assert_array_equal(test(queries), lists.contains_keys(queries))
    assert test(queries).mean() > 0.2  # the query mix holds hits too
