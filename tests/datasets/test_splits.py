"""Tests of openrec2.datasets.splits: RecBole's count rule and the three protocols."""

import numpy as np
import pytest

from openrec2.datasets.splits import (recbole_split_counts, split_interactions, split_leave_one_out,
                                      split_random_per_user, split_temporal)
from openrec2.errors import DataError, UnknownOptionError
from openrec2.utils.dataset import make_interactions


def reference_counts(n, ratios):
    """RecBole's rule written out in plain Python, one user at a time."""
    total = sum(ratios)
    ratios = [r / total for r in ratios]
    cnt = [int(r * n) for r in ratios]
    cnt[0] = n - sum(cnt[1:])
    for i in range(1, len(ratios)):
        if cnt[0] <= 1:
            break
        if 0 < ratios[-i] * n < 1:
            cnt[-i] += 1
            cnt[0] -= 1
    return cnt


@pytest.mark.parametrize('ratios', [(0.8, 0.1, 0.1), (0.7, 0.3), (0.6, 0.2, 0.2), (8, 1, 1), (0.9, 0.05, 0.05)])
def test_vectorised_counts_follow_recbole_rule(ratios):
    sizes = np.arange(1, 301)
    total = sum(ratios)
    shares = [r / total for r in ratios]
    counts = recbole_split_counts(sizes, shares)
    assert counts.tolist() == [reference_counts(int(n), ratios) for n in sizes]


def test_small_users_keep_train_and_get_test():
    counts = recbole_split_counts(np.array([1, 2, 3, 5]), [0.8, 0.1, 0.1])
    assert counts.tolist() == [[1, 0, 0], [1, 0, 1], [1, 1, 1], [3, 1, 1]]


def uneven_interactions(seed=0, n_users=40):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 60, size=n_users)
    users = np.repeat(np.arange(n_users), sizes)
    rng.shuffle(users)
    return make_interactions(users, rng.integers(0, 500, users.size),
                             timestamp=rng.permutation(users.size))


def test_random_split_partitions_rows_by_the_rule():
    data = uneven_interactions()
    parts = split_random_per_user(data, (0.8, 0.1, 0.1), seed=7)
    assert sum(len(p) for p in parts) == len(data)
    all_rows = np.sort(np.concatenate(parts)['timestamp'])  # timestamps are a permutation: unique row ids
    assert np.array_equal(all_rows, np.arange(len(data)))
    sizes = np.bincount(data['user_id'])
    expected = recbole_split_counts(sizes, [0.8, 0.1, 0.1])
    got = np.stack([np.bincount(p['user_id'], minlength=len(sizes)) for p in parts], axis=1)
    assert np.array_equal(got, expected)


def test_random_split_is_seeded():
    data = uneven_interactions()
    first = split_random_per_user(data, (0.8, 0.1, 0.1), seed=1)
    again = split_random_per_user(data, (0.8, 0.1, 0.1), seed=1)
    other = split_random_per_user(data, (0.8, 0.1, 0.1), seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[2], other[2])


def test_leave_one_out_holds_out_latest():
    data = uneven_interactions(seed=3)
    train, valid, test = split_leave_one_out(data, validation=True)
    for user in np.unique(data['user_id']):
        times = np.sort(data['timestamp'][data['user_id'] == user])
        test_times = test['timestamp'][test['user_id'] == user]
        valid_times = valid['timestamp'][valid['user_id'] == user]
        if len(times) >= 2:
            assert test_times.tolist() == [times[-1]]
        else:
            assert test_times.size == 0
        if len(times) >= 3:
            assert valid_times.tolist() == [times[-2]]
        else:
            assert valid_times.size == 0
        assert (train['user_id'] == user).sum() >= 1
    train2, test2 = split_leave_one_out(data, validation=False)
    assert len(test2) == len(test) and len(train2) == len(train) + len(valid)


def test_leave_one_out_without_timestamps_is_random_and_seeded():
    data = make_interactions(np.repeat(np.arange(50), 10), np.tile(np.arange(10), 50))
    _, _, test_a = split_leave_one_out(data, seed=4)
    _, _, test_b = split_leave_one_out(data, seed=4)
    _, _, test_c = split_leave_one_out(data, seed=5)
    assert np.array_equal(test_a, test_b) and not np.array_equal(test_a, test_c)
    assert len(np.unique(test_a['item_id'])) > 1  # not always the last row of each user


def test_temporal_split_keeps_train_before_test():
    data = uneven_interactions(seed=5)
    train, valid, test = split_temporal(data, (0.8, 0.1, 0.1))
    for user in np.unique(test['user_id']):
        assert train['timestamp'][train['user_id'] == user].max() < test['timestamp'][test['user_id'] == user].min()
        in_valid = valid['timestamp'][valid['user_id'] == user]
        if in_valid.size:
            assert in_valid.max() < test['timestamp'][test['user_id'] == user].min()


def test_two_ratios_give_no_validation_and_protocol_says_so():
    data = uneven_interactions()
    train, valid, test, protocol = split_interactions(data, 'random', (0.7, 0.3), seed=9)
    assert valid is None and len(train) + len(test) == len(data)
    assert protocol.startswith('per-user random 0.7:0.3 (train:test), seed 9')


def test_temporal_needs_timestamps():
    data = make_interactions([0, 0], [1, 2])
    with pytest.raises(DataError, match="no 'timestamp' field"):
        split_temporal(data)


@pytest.mark.parametrize('ratios', [(1.0,), (0.5, -0.1, 0.6), (0, 0.5, 0.5), (0.5, 0.2, 0.2, 0.1)])
def test_bad_ratios_are_rejected(ratios):
    with pytest.raises(UnknownOptionError, match='ratios must be'):
        split_random_per_user(uneven_interactions(), ratios)


def test_unknown_split_lists_valid_ones():
    with pytest.raises(UnknownOptionError, match=r"unknown split 'kfold'.*'random', 'leave_one_out', 'temporal'"):
        split_interactions(uneven_interactions(), 'kfold')
