"""Tests of NPairwiseSampler."""

import numpy as np
import pytest
from sampler_fixtures import assert_same_stream, take, toy_dataset

from openrec2.errors import UnknownOptionError
from openrec2.utils.samplers import NPairwiseSampler, PairwiseSampler


def test_shapes_and_negatives_are_not_positives():
    dataset = toy_dataset()
    batches = take(NPairwiseSampler(dataset, 40, num_negatives=6), 10)
    for batch in batches:
        assert batch['user_id'].shape == batch['p_item_id'].shape == (40,)
        assert batch['n_item_id'].shape == (40, 6) and batch['n_item_id'].dtype == np.int32
        assert not dataset.contains(batch['user_id'][:, None], batch['n_item_id']).any()
        assert dataset.contains(batch['user_id'], batch['p_item_id']).all()


def test_positives_follow_the_pairwise_stream_and_threads_do_not_matter():
    dataset = toy_dataset()
    npair = take(NPairwiseSampler(dataset, 32, num_negatives=3, seed=8), 12)
    pair = take(PairwiseSampler(dataset, 32, seed=8), 12)
    assert all(np.array_equal(a['p_item_id'], b['p_item_id']) for a, b in zip(npair, pair))
    assert_same_stream(npair, take(NPairwiseSampler(dataset, 32, num_negatives=3, seed=8, num_process=2), 12))


def test_legacy_negativenum_and_bad_count():
    assert NPairwiseSampler(toy_dataset(), 8, negativenum=2).num_negatives == 2
    with pytest.raises(UnknownOptionError, match='`num_negatives` must be an integer >= 1'):
        NPairwiseSampler(toy_dataset(), 8, num_negatives=0)
