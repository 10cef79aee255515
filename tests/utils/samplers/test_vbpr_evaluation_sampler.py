"""Tests of VBPREvaluationSampler: EvaluationSampler's batches plus the features of the items to score."""

import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.utils.samplers import EvaluationSampler, VBPREvaluationSampler, without_item_features

from sampler_fixtures import toy_dataset

FEATURES = np.random.default_rng(5).normal(size=(30, 4)).astype(np.float32)
TRAIN, TEST = toy_dataset(seed=0), toy_dataset(seed=1)


def same_lists(first, second):
    return np.array_equal(first.indptr, second.indptr) and np.array_equal(first.indices, second.indices)


def both(**options):
    return (VBPREvaluationSampler(TEST, 7, FEATURES, excluded_datasets=[TRAIN], **options),
            EvaluationSampler(TEST, 7, excluded_datasets=[TRAIN], **options))


def test_full_ranking_batches_hold_every_items_features():
    featured, plain = both()
    batches = list(featured)
    assert len(batches) == len(plain) > 1
    for batch, reference in zip(batches, plain):
        assert set(batch) == {'user_id', 'item_vfeature'}
        np.testing.assert_array_equal(batch['user_id'], reference['user_id'])
        np.testing.assert_array_equal(batch['item_vfeature'], FEATURES)  # row j: item j
        assert not batch['item_vfeature'].flags.writeable
    np.testing.assert_array_equal(featured.users, plain.users)
    assert same_lists(featured.excluded_items, plain.excluded_items)
    assert same_lists(featured.test_items, plain.test_items)


def test_sampled_batches_hold_the_rows_of_their_candidates():
    featured, plain = both(num_negatives=5, seed=2)
    assert same_lists(featured.negative_items, plain.negative_items)
    for batch, reference in zip(featured, plain):
        assert without_item_features(batch).keys() == reference.keys()
        np.testing.assert_array_equal(batch['item_id'], reference['item_id'])
        np.testing.assert_array_equal(batch['item_vfeature'], FEATURES[batch['item_id']])
        assert batch['item_vfeature'].shape == (len(batch['item_id']), 4)


def test_legacy_argument_order_and_a_bad_matrix():
    sampler = VBPREvaluationSampler(7, TEST, FEATURES)
    assert sampler.batch_size == 7 and sampler.dataset is TEST
    with pytest.raises(ShapeError, match=r'VBPREvaluationSampler: `item_vfeature` must be a \[30, F\] matrix'):
        VBPREvaluationSampler(TEST, 7, FEATURES.T)
