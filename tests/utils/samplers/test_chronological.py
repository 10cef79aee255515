"""Tests of legacy OpenRec's ``chronological=`` on the positive-drawing samplers (the
Sampler base's dataset-order pass): rows in dataset order, one pass, then the stream ends."""

import numpy as np
import pytest

from openrec2.errors import SettingError
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.samplers import NPairwiseSampler, PairwiseSampler, PointwiseSampler

# Rows deliberately not sorted by user: dataset order is what a chronological pass follows.
USERS = np.array([3, 0, 2, 0, 1, 3, 2])
ITEMS = np.array([4, 1, 0, 5, 2, 7, 6])


def dataset():
    return ImplicitDataset(make_interactions(USERS, ITEMS), 4, 10, name='ordered')


def drain(sampler):
    with sampler:
        return list(sampler)


def test_pairwise_walks_the_rows_in_dataset_order_once_then_stops():
    batches = drain(PairwiseSampler(dataset(), 3, chronological=True))
    assert [len(b['user_id']) for b in batches] == [3, 3, 1]  # the last partial batch is kept
    np.testing.assert_array_equal(np.concatenate([b['user_id'] for b in batches]), USERS)
    np.testing.assert_array_equal(np.concatenate([b['p_item_id'] for b in batches]), ITEMS)
    data = dataset()
    for batch in batches:
        assert not data.contains(batch['user_id'], batch['n_item_id']).any()


def test_npairwise_and_pointwise_take_the_same_ordered_positives():
    npairs = drain(NPairwiseSampler(dataset(), 4, num_negatives=2, chronological=True))
    np.testing.assert_array_equal(np.concatenate([b['p_item_id'] for b in npairs]), ITEMS)
    assert npairs[0]['n_item_id'].shape == (4, 2)
    points = drain(PointwiseSampler(dataset(), 4, pos_ratio=0.5, chronological=True))
    assert len(points) == 4  # two positives per batch over seven rows
    positives = [b['item_id'][b['label'] == 1] for b in points]
    assert [p.size for p in positives] == [2, 2, 2, 1] and all((b['label'] == 0).sum() == 2 for b in points)
    # within a batch rows are shuffled, across batches the dataset order holds
    assert [sorted(p.tolist()) for p in positives] == [sorted(ITEMS[i:i + 2].tolist()) for i in range(0, 7, 2)]


def test_false_is_the_usual_endless_stream():
    with PairwiseSampler(dataset(), 3, seed=5, chronological=False) as legacy, PairwiseSampler(dataset(), 3,
                                                                                              seed=5) as plain:
        for _ in range(6):  # past one pass: it does not end
            one, other = next(legacy), next(plain)
            assert all(np.array_equal(one[key], other[key]) for key in one)


def test_a_non_boolean_is_refused():
    with pytest.raises(SettingError, match='chronological'):
        PairwiseSampler(dataset(), 3, chronological='yes')
