"""Tests of PairwiseSampler / RandomPairwiseSampler."""

import numpy as np
import pytest
from sampler_fixtures import assert_same_stream, ml100k_train, requires_data, take, toy_dataset

from openrec2.errors import DataError, SettingError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.samplers import PairwiseSampler, RandomPairwiseSampler


def test_alias_is_the_same_class():
    assert RandomPairwiseSampler is PairwiseSampler


def test_batch_format():
    batch = take(PairwiseSampler(toy_dataset(), 32), 1)[0]
    assert set(batch) == {'user_id', 'p_item_id', 'n_item_id'}
    assert all(v.dtype == np.int32 and v.shape == (32,) for v in batch.values())


def test_interaction_mode_visits_each_positive_once_per_pass():
    dataset = toy_dataset()
    sampler = PairwiseSampler(dataset, 50, seed=3)
    total = dataset.num_positives
    assert sampler.batches_per_epoch == -(-total // 50)
    batches = take(sampler, 3 * sampler.batches_per_epoch)
    users = np.concatenate([b['user_id'] for b in batches]).astype(np.int64)
    items = np.concatenate([b['p_item_id'] for b in batches]).astype(np.int64)
    expected = np.sort(dataset.positive_keys)
    for epoch in range(3):
        keys = users[epoch * total:(epoch + 1) * total] * dataset.max_item + items[epoch * total:(epoch + 1) * total]
        assert np.array_equal(np.sort(keys), expected)
    first_pass = users[:total] * dataset.max_item + items[:total]
    second_pass = users[total:2 * total] * dataset.max_item + items[total:2 * total]
    assert not np.array_equal(first_pass, second_pass)  # each pass is reshuffled


def test_user_mode_draws_users_uniformly():
    dataset = toy_dataset()
    batches = take(PairwiseSampler(dataset, 500, mode='user', seed=1), 20)
    users = np.concatenate([b['user_id'] for b in batches])
    counts = np.bincount(users, minlength=dataset.max_user)[dataset.users]
    # Uniform over users (user 0 owns 29 positives but is drawn as often as the others).
    assert counts.min() > 0.6 * counts.mean() and counts.max() < 1.4 * counts.mean()
    assert dataset.contains(users, np.concatenate([b['p_item_id'] for b in batches])).all()


@pytest.mark.parametrize('mode', ['interaction', 'user'])
def test_same_seed_same_stream_whatever_the_threads(mode):
    dataset = toy_dataset()
    single = take(PairwiseSampler(dataset, 64, num_process=1, seed=5, mode=mode), 25)
    double = take(PairwiseSampler(dataset, 64, num_process=2, seed=5, mode=mode), 25)
    triple = take(PairwiseSampler(dataset, 64, num_process=3, seed=5, mode=mode, prefetch=1), 25)
    assert_same_stream(single, double)
    assert_same_stream(single, triple)
    other = take(PairwiseSampler(dataset, 64, seed=6, mode=mode), 25)
    assert not all(np.array_equal(a['n_item_id'], b['n_item_id']) for a, b in zip(single, other))


def test_negatives_cover_every_item_including_the_last():
    dataset = ImplicitDataset(make_interactions(np.arange(10), np.zeros(10, np.int64)), 10, 12)
    batches = take(PairwiseSampler(dataset, 64), 10)
    negatives = np.concatenate([b['n_item_id'] for b in batches])
    assert set(negatives.tolist()) == set(range(1, 12))


@requires_data
def test_no_positive_sampled_as_negative_on_ml100k():
    dataset = ml100k_train()
    batches = take(PairwiseSampler(dataset, 4096, num_process=2), 30)
    users = np.concatenate([b['user_id'] for b in batches])
    assert dataset.contains(users, np.concatenate([b['p_item_id'] for b in batches])).all()
    assert not dataset.contains(users, np.concatenate([b['n_item_id'] for b in batches])).any()


def test_unknown_mode():
    with pytest.raises(SettingError, match=r"`mode` must be one of \['interaction', 'user'\], got 'epoch'"):
        PairwiseSampler(toy_dataset(), 4, mode='epoch')


def test_dataset_without_positives():
    data = make_interactions([0, 1], [0, 1], label=[0.0, -1.0])
    with pytest.raises(DataError, match='has no positive interaction'):
        PairwiseSampler(ImplicitDataset(data, 2, 2), 4)


def test_user_owning_every_item_fails_at_construction():
    data = make_interactions([0, 0, 1], [0, 1, 0])
    with pytest.raises(DataError, match=r'user\(s\) \[0\].*have all 2 items'):
        PairwiseSampler(ImplicitDataset(data, 2, 2, name='dense'), 4)
