"""Tests of VBPRPairwiseSampler: PairwiseSampler's triples plus the feature rows of their items."""

import numpy as np
import pytest

from openrec2.errors import DataError, ShapeError
from openrec2.utils.samplers import PairwiseSampler, VBPRPairwiseSampler

from sampler_fixtures import assert_same_stream, take, toy_dataset

FEATURES = np.random.default_rng(3).normal(size=(30, 5)).astype(np.float32)


def ids_only(batches):
    return [{key: batch[key] for key in ('user_id', 'p_item_id', 'n_item_id')} for batch in batches]


@pytest.mark.parametrize('mode', ['interaction', 'user'])
def test_triples_are_the_pairwise_samplers_and_features_are_their_rows(mode):
    data = toy_dataset()
    featured = take(VBPRPairwiseSampler(data, 16, FEATURES, seed=4, mode=mode), 6)
    plain = take(PairwiseSampler(data, 16, seed=4, mode=mode), 6)
    assert_same_stream(ids_only(featured), plain)
    for batch in featured:
        assert set(batch) == {'user_id', 'p_item_id', 'n_item_id', 'p_item_vfeature', 'n_item_vfeature'}
        for role in ('p_item', 'n_item'):
            assert batch[f'{role}_vfeature'].dtype == np.float32 and batch[f'{role}_vfeature'].shape == (16, 5)
            np.testing.assert_array_equal(batch[f'{role}_vfeature'], FEATURES[batch[f'{role}_id']])


def test_stream_depends_on_seed_only_and_resumes_at_any_batch():
    data = toy_dataset()
    one = take(VBPRPairwiseSampler(data, 8, FEATURES, num_process=1, seed=9), 7)
    three = take(VBPRPairwiseSampler(data, 8, FEATURES, num_process=3, seed=9), 7)
    assert_same_stream(one, three)
    resumed = VBPRPairwiseSampler(data, 8, FEATURES, num_process=2, seed=9)
    resumed.seek(4)
    assert_same_stream(take(resumed, 3), one[4:])
    other = take(VBPRPairwiseSampler(data, 8, FEATURES, seed=10), 1)
    assert not np.array_equal(other[0]['p_item_id'], one[0]['p_item_id'])


def test_the_held_features_cannot_be_changed_through_the_sampler():
    features = FEATURES.copy()
    sampler = VBPRPairwiseSampler(toy_dataset(), 8, features)
    features[:] = 0.0  # the caller's array is copied
    with sampler:
        batch = sampler.next_batch()
    np.testing.assert_array_equal(batch['p_item_vfeature'], FEATURES[batch['p_item_id']])
    assert not sampler.item_vfeature.flags.writeable


def test_bad_feature_matrices_are_refused():
    with pytest.raises(ShapeError, match=r'VBPRPairwiseSampler: `item_vfeature` must be a \[30, F\] matrix'):
        VBPRPairwiseSampler(toy_dataset(), 8, FEATURES[:29])
    with pytest.raises(DataError, match='`item_vfeature` holds NaN'):
        VBPRPairwiseSampler(toy_dataset(), 8, np.full((30, 2), np.nan))
