"""Tests of the per-user chronological ordering and the leave-last-out split of one Dataset."""

import numpy as np
import pytest

from openrec2.errors import DataError, SettingError
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.sequences import chronological_sequences, leave_last_out


def shuffled_dataset():
    """User 0: items 5, 6, 7, 8 at times 1..4; user 1: 3 then 2; user 2 nothing; user 3: item 9.
    Rows come in a shuffled order; items 6 and 7 share a timestamp (file order decides)."""
    rows = [(1, 2, 20), (0, 8, 4), (0, 6, 2), (3, 9, 1), (0, 5, 1), (1, 3, 10), (0, 7, 2)]
    users, items, stamps = (np.array(column) for column in zip(*rows))
    return ImplicitDataset(make_interactions(users, items, timestamp=stamps), 4, 10, name='toy')


def test_items_are_ordered_by_time_with_ties_in_dataset_order():
    indptr, items, rows = chronological_sequences(shuffled_dataset())
    assert indptr.tolist() == [0, 4, 6, 6, 7]
    assert items.tolist() == [5, 6, 7, 8, 3, 2, 9]
    assert rows.tolist() == [4, 2, 6, 1, 5, 0, 3]


def test_negative_labels_are_left_out():
    data = make_interactions([0, 0, 0], [1, 2, 3], label=[1.0, 0.0, 1.0], timestamp=[3, 2, 1])
    _, items, _ = chronological_sequences(ImplicitDataset(data, 1, 4))
    assert items.tolist() == [3, 1]


def test_leave_last_out_holds_out_the_latest_items():
    sequences = leave_last_out(shuffled_dataset())
    assert sequences.num_train.tolist() == [2, 1, 0, 1]
    assert sequences.has_test.tolist() == [True, True, False, False]
    assert sequences.has_validation.tolist() == [True, False, False, False]
    users, positions = sequences.targets('test')
    assert sequences.items_at(users, positions).tolist() == [8, 2]
    users, positions = sequences.targets('validation')
    assert sequences.items_at(users, positions).tolist() == [7]
    assert sorted(zip(*sequences.train.positive_pairs())) == [(0, 5), (0, 6), (1, 3), (3, 9)]
    assert 'timestamp' in sequences.train.data.dtype.names and sequences.known.num_positives == 7
    assert leave_last_out(shuffled_dataset(), 0).num_train.tolist() == [4, 2, 0, 1]
    assert leave_last_out(shuffled_dataset(), 1).has_validation.sum() == 0


def test_errors():
    with pytest.raises(DataError, match='no timestamp field'):
        chronological_sequences(ImplicitDataset(make_interactions([0], [0]), 1, 1))
    with pytest.raises(DataError, match='needs an openrec2.utils.Dataset'):
        chronological_sequences(np.zeros(3))
    with pytest.raises(SettingError, match='num_held_out'):
        leave_last_out(shuffled_dataset(), 3)
