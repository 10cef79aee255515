"""Tests of the time-ordered behaviour sequences (leave-last-out)."""

import numpy as np
import pytest
from split_checks import requires_data

from openrec2.datasets import load_ml100k
from openrec2.datasets.data_split import build_data_split
from openrec2.datasets.sequences import (BehaviourSequences, load_beauty_sequences, load_ml100k_sequences,
                                         sequences_from_split)
from openrec2.errors import DataError, UnknownOptionError
from openrec2.utils.dataset import make_interactions


def small_split(split='leave_one_out', validation=True):
    # User 0 buys 3, 1, 4, 1, 5 (timestamps shuffled in the rows); user 1 buys 2, 0; user 2 buys 6.
    users = [0, 0, 0, 0, 0, 1, 1, 2]
    items = [4, 3, 5, 1, 1, 0, 2, 6]
    stamps = [30, 10, 50, 20, 40, 9, 5, 1]
    data = make_interactions(users, items, timestamp=stamps)
    return build_data_split('toy', data, 3, 7, split, (0.5, 0.5), 0, validation,
                            item_features=np.eye(7, dtype=np.float32))


def test_sequences_are_time_ordered_and_split_last_out():
    sequences = sequences_from_split(small_split())
    assert isinstance(sequences, BehaviourSequences)
    assert sequences.sequence(0).tolist() == [3, 1, 4, 1, 5]
    assert sequences.sequence(1).tolist() == [2, 0]
    assert sequences.sequence(2).tolist() == [6]
    assert sequences.num_train.tolist() == [3, 1, 1]
    assert sequences.has_validation.tolist() == [True, False, False]
    assert sequences.has_test.tolist() == [True, True, False]
    assert sequences.item_features.shape == (7, 7)
    assert 'leave-one-out' in sequences.protocol


def test_targets_of_each_part():
    sequences = sequences_from_split(small_split())
    users, positions = sequences.targets('train')
    assert list(zip(users.tolist(), positions.tolist())) == [(0, 1), (0, 2)]
    assert sequences.items_at(users, positions).tolist() == [1, 4]
    users, positions = sequences.targets('validation')
    assert (users.tolist(), sequences.items_at(users, positions).tolist()) == ([0], [1])
    users, positions = sequences.targets('test')
    assert (users.tolist(), sequences.items_at(users, positions).tolist()) == ([0, 1], [5, 0])
    with pytest.raises(UnknownOptionError, match="`part` must be one of .*got 'valid'"):
        sequences.targets('valid')


def test_histories_keep_the_latest_items_left_aligned():
    sequences = sequences_from_split(small_split())
    history, length = sequences.histories(np.array([0, 0, 1]), np.array([4, 1, 1]), max_length=3)
    assert history.tolist() == [[1, 4, 1], [3, 0, 0], [2, 0, 0]]
    assert length.tolist() == [3, 1, 1]


def test_known_items_cover_every_part():
    sequences = sequences_from_split(small_split())
    assert sequences.known.positive_items(0).tolist() == [1, 3, 4, 5]
    assert sequences.train.positive_items(0).tolist() == [1, 3, 4]


def test_random_split_is_refused():
    split = small_split(split='random')
    with pytest.raises(DataError, match="leave_one_out"):
        sequences_from_split(split)


def test_user_out_of_range():
    with pytest.raises(DataError, match='out of range'):
        sequences_from_split(small_split()).sequence(3)


@requires_data
def test_beauty_sequences_follow_the_file_order():
    sequences = load_beauty_sequences()
    assert (sequences.max_user, sequences.max_item) == (22_363, 12_101)
    assert sequences.items.size == 198_502
    assert sequences.has_test.all() and sequences.has_validation.all()
    assert sequences.item_features.shape == (12_101, 637)
    # The loader maps file ids to 0-based ones sorted by original id; line 1 is "1 1 2 3 4 5".
    assert sequences.sequence(0).tolist() == [0, 1, 2, 3, 4]


@requires_data
def test_ml100k_sequences_are_ordered_by_timestamp():
    split = load_ml100k(split='leave_one_out')
    sequences = sequences_from_split(split)
    assert sequences.items.size == 100_000
    assert sequences.item_features.shape == (1682, 19)
    users, positions = sequences.targets('test')
    assert users.size == 943
    train = split.train.data
    test = split.test.data
    for user in (0, 1, 500):
        test_row = test[test['user_id'] == user]
        assert sequences.items_at([user], positions[users == user]).tolist() == test_row['item_id'].tolist()
        assert train['timestamp'][train['user_id'] == user].max() <= test_row['timestamp'][0]
    assert load_ml100k_sequences().items.tolist() == sequences.items.tolist()
