"""Tests of the CTR views: MovieLens 100K examples (real files) and the planted CTR problem."""

import numpy as np
import pytest

from openrec2.datasets import load_ml100k, load_ml100k_ctr, make_planted_ctr
from openrec2.datasets.registry import CTR_LOADERS


@pytest.fixture(scope='module')
def ctr():
    return load_ml100k_ctr()


def test_every_rating_is_one_labelled_example_of_the_same_split(ctr):
    ratings = load_ml100k()
    assert [len(ctr.train), len(ctr.validation), len(ctr.test)] == [len(ratings.train), len(ratings.validation),
                                                                    len(ratings.test)]
    np.testing.assert_array_equal(ctr.test.label, ratings.test.data['label'] >= 4)
    np.testing.assert_array_equal(ctr.test.user_id, ratings.test.data['user_id'])
    assert 0.5 < ctr.train.label.mean() < 0.6
    assert ctr.name == 'ml-100k-ctr' and ctr.test.name == 'ml-100k-ctr/test'
    assert 'label = rating >= 4' in ctr.protocol and 'seed 2020' in ctr.protocol


def test_columns(ctr):
    assert ctr.train.sparse_names == ['user_id', 'item_id', 'age_group', 'gender', 'occupation', 'zip_region',
                                      'release_decade']
    assert ctr.cardinalities[:5] == [943, 1682, 7, 2, 21] and ctr.cardinalities[5] == 11
    assert ctr.num_dense == 4 + 19 and ctr.train.dense_names[:2] == ['age', 'release_year']
    train_numeric = ctr.train.dense[:, :4]
    np.testing.assert_allclose(train_numeric.mean(axis=0), 0, atol=1e-4)  # standardised on train
    np.testing.assert_allclose(train_numeric.std(axis=0), 1, atol=1e-3)
    assert set(np.unique(ctr.train.dense[:, 4:])) == {0.0, 1.0}  # genre flags
    # gender ids follow u.user (user 1 of the file is a man, user 2 a woman)
    ratings = load_ml100k()
    for original, gender in ((1, 0), (2, 1)):
        user = int(np.flatnonzero(ratings.user_id_map == original)[0])
        assert set(ctr.train.sparse[ctr.train.user_id == user, 3]) == {gender}


def test_rating_counts_come_from_the_training_split_only(ctr):
    counts = np.bincount(ctr.train.item_id, minlength=ctr.max_item)
    column = ctr.train.dense_names.index('log_item_train_ratings')
    values = np.concatenate([part.dense[:, column] for part in (ctr.train, ctr.test)])
    items = np.concatenate([ctr.train.item_id, ctr.test.item_id])
    # one standardised value per training count: the same item has the same value in every part
    order = np.argsort(np.log1p(counts[items]))
    assert np.all(np.diff(values[order]) >= -1e-6)


def test_temporal_split_and_threshold_options():
    temporal = load_ml100k_ctr(split='temporal', like_threshold=5)
    assert 'temporal' in temporal.protocol and 0.15 < temporal.train.label.mean() < 0.25


def test_planted_ctr_is_registered_and_reproducible():
    assert CTR_LOADERS['ml-100k'] is load_ml100k_ctr and CTR_LOADERS['synthetic'] is make_planted_ctr
    one, two = make_planted_ctr(seed=3), make_planted_ctr(seed=3)
    np.testing.assert_array_equal(one.train.sparse, two.train.sparse)
    assert len(one.train) + len(one.validation) + len(one.test) == 12000 and one.cardinalities == [200, 100, 4, 4]
    assert 0.4 < one.train.label.mean() < 0.6
