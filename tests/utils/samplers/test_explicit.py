"""Tests of ExplicitSampler."""

import numpy as np
import pytest
from sampler_fixtures import toy_dataset

from openrec2.errors import DataError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.samplers import ExplicitSampler


def rated_dataset():
    return toy_dataset(label=lambda rng, n: rng.integers(1, 6, n).astype(np.float64))


def rows_of(batches):
    return np.stack([np.concatenate([b[k] for b in batches]).astype(np.float64)
                     for k in ('user_id', 'item_id', 'label')], axis=1)


@pytest.mark.parametrize('shuffle,num_process', [(False, 1), (True, 1), (True, 2)])
def test_every_row_exactly_once_then_stop(shuffle, num_process):
    dataset = rated_dataset()
    sampler = ExplicitSampler(dataset, 64, shuffle=shuffle, num_process=num_process, seed=3)
    batches = list(sampler)
    assert len(batches) == sampler.batches_per_epoch == -(-len(dataset) // 64)
    assert [len(b['label']) for b in batches[:-1]] == [64] * (len(batches) - 1)
    got = rows_of(batches)
    data = dataset.data
    expected = np.stack([data['user_id'], data['item_id'], data['label']], axis=1).astype(np.float64)
    if shuffle:
        assert not np.array_equal(got, expected)
        got, expected = (a[np.lexsort(a.T[::-1])] for a in (got, expected))
    assert np.array_equal(got, expected)
    with pytest.raises(StopIteration):
        next(sampler)
    sampler.close()


def test_shuffle_is_seeded():
    first = rows_of(list(ExplicitSampler(rated_dataset(), 50, shuffle=True, seed=1)))
    again = rows_of(list(ExplicitSampler(rated_dataset(), 50, shuffle=True, seed=1, num_process=3)))
    other = rows_of(list(ExplicitSampler(rated_dataset(), 50, shuffle=True, seed=2)))
    assert np.array_equal(first, again) and not np.array_equal(first, other)


def test_needs_labels():
    dataset = ImplicitDataset(make_interactions([0], [0]), 1, 2, name='plain')
    with pytest.raises(DataError, match="dataset 'plain' has no 'label' field"):
        ExplicitSampler(dataset, 4)
