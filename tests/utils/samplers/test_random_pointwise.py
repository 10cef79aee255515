"""Tests of RandomPointwiseSampler."""

import numpy as np
from sampler_fixtures import assert_same_stream, take, toy_dataset

from openrec2.utils.samplers import RandomPointwiseSampler


def test_labels_are_membership_and_every_id_is_reachable():
    dataset = toy_dataset()
    batches = take(RandomPointwiseSampler(dataset, 512, seed=4), 10)
    users = np.concatenate([b['user_id'] for b in batches])
    items = np.concatenate([b['item_id'] for b in batches])
    labels = np.concatenate([b['label'] for b in batches])
    assert labels.dtype == np.float32 and users.dtype == np.int32
    assert np.array_equal(labels == 1, dataset.contains(users, items))
    assert set(users.tolist()) == set(range(dataset.max_user))
    assert set(items.tolist()) == set(range(dataset.max_item))
    assert 0 < labels.mean() < 1


def test_reproducible_across_threads():
    dataset = toy_dataset()
    assert_same_stream(take(RandomPointwiseSampler(dataset, 64, seed=2), 8),
                       take(RandomPointwiseSampler(dataset, 64, seed=2, num_process=3), 8))
