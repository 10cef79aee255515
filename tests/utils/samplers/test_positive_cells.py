"""Tests of PositiveCellSampler: positive cells with their user's share, reproducible and resumable."""

import numpy as np
from sampler_fixtures import assert_same_stream, take, toy_dataset

from openrec2.utils.samplers import PositiveCellSampler


def test_rows_are_positives_with_the_inverse_user_count():
    dataset = toy_dataset()
    for batch in take(PositiveCellSampler(dataset, 64, seed=1), 4):
        assert set(batch) == {'user_id', 'item_id', 'user_share'}
        assert batch['user_id'].dtype == np.int32 and batch['user_share'].dtype == np.float32
        assert dataset.contains(batch['user_id'], batch['item_id']).all()
        np.testing.assert_allclose(batch['user_share'], 1.0 / dataset.positive_counts[batch['user_id']])


def test_one_pass_covers_every_positive_once_so_shares_sum_to_one_per_user():
    dataset = toy_dataset()
    sampler = PositiveCellSampler(dataset, dataset.num_positives, seed=3)
    batch = take(sampler, 1)[0]
    assert len(np.unique(dataset.positive_keys)) == len(batch['user_id'])
    totals = np.bincount(batch['user_id'], weights=batch['user_share'], minlength=dataset.max_user)
    np.testing.assert_allclose(totals[dataset.users], 1.0, rtol=1e-6)


def test_reproducible_across_threads_and_resumable():
    dataset = toy_dataset()
    stream = take(PositiveCellSampler(dataset, 50, seed=2), 8)
    assert_same_stream(stream, take(PositiveCellSampler(dataset, 50, seed=2, num_process=2), 8))
    resumed = PositiveCellSampler(dataset, 50, seed=2)
    resumed.seek(5)
    assert_same_stream(stream[5:], take(resumed, 3))
