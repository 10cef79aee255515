"""Tests of EvaluationSampler (full and sampled evaluation batches)."""

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError, UnknownOptionError
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.samplers.evaluation import EvaluationSampler, draw_fixed_negatives

MAX_USER, MAX_ITEM = 6, 10


def dataset(pairs, name, max_user=MAX_USER, max_item=MAX_ITEM):
    users, items = zip(*pairs) if pairs else ((), ())
    return ImplicitDataset(make_interactions(list(users), list(items)), max_user, max_item, name=name)


TRAIN = dataset([(0, 1), (0, 2), (1, 3), (2, 0), (3, 4), (4, 5), (5, 6)], 'train')
VALID = dataset([(0, 3), (2, 9), (4, 7)], 'valid')
# User 3 has only an item it already had in training: not evaluated. User 5 has no test item.
TEST = dataset([(0, 4), (0, 9), (1, 1), (2, 2), (3, 4), (4, 8), (4, 7)], 'test')


def test_full_mode_batches_cover_evaluated_users_once_per_pass():
    sampler = EvaluationSampler(TEST, 2, excluded_datasets=[TRAIN, VALID])
    assert not sampler.sampled and len(sampler) == 2
    np.testing.assert_array_equal(sampler.users, [0, 1, 2, 4])
    passes = [[b['user_id'].tolist() for b in sampler] for _ in range(2)]
    assert passes == [[[0, 1], [2, 4]]] * 2
    assert all(b['user_id'].dtype == np.int32 for b in sampler)
    assert [r.tolist() for r in sampler.positive_items] == [[4, 9], [1], [2], [], [8], []]
    assert [r.tolist() for r in sampler.excluded_items][4] == [5, 7]  # train 5, validation 7


def test_next_batch_ends_a_pass_then_starts_again():
    sampler = EvaluationSampler(TEST, 3, excluded_datasets=TRAIN)
    first = [sampler.next_batch()['user_id'].tolist() for _ in range(2)]
    with pytest.raises(StopIteration):
        sampler.next_batch()
    assert sampler.next_batch()['user_id'].tolist() == first[0]
    with sampler:
        pass


def test_legacy_argument_order():
    sampler = EvaluationSampler(4, TEST)
    assert sampler.batch_size == 4 and sampler.dataset is TEST


def test_sampled_mode_negatives_are_fixed_distinct_and_never_known():
    sampler = EvaluationSampler(TEST, 2, excluded_datasets=[TRAIN, VALID], num_negatives=3, seed=7)
    again = EvaluationSampler(TEST, 2, excluded_datasets=[TRAIN, VALID], num_negatives=3, seed=7)
    other = EvaluationSampler(TEST, 2, excluded_datasets=[TRAIN, VALID], num_negatives=3, seed=8)
    assert sampler.sampled
    np.testing.assert_array_equal(sampler.negative_items.indices, again.negative_items.indices)
    assert [b['item_id'].tolist() for b in sampler] == [b['item_id'].tolist() for b in again]
    assert any(not np.array_equal(a, b) for a, b in zip(sampler.negative_items, other.negative_items))
    for user in sampler.users:
        negatives = sampler.negative_items[user]
        known = set(TEST.positive_items(user)) | set(TRAIN.positive_items(user)) | set(VALID.positive_items(user))
        assert negatives.size == 3 and len(set(negatives)) == 3
        assert not set(negatives.tolist()) & known
        assert set(sampler.candidate_items[user].tolist()) == set(negatives) | set(sampler.positive_items[user])


def test_sampled_batches_list_each_users_candidates():
    sampler = EvaluationSampler(TEST, 3, excluded_datasets=[TRAIN], num_negatives=2)
    users = np.concatenate([b['user_id'] for b in sampler])
    items = np.concatenate([b['item_id'] for b in sampler])
    assert users.dtype == np.int32 and items.dtype == np.int32
    expected = [(u, i) for u in sampler.users for i in sampler.candidate_items[u]]
    assert list(zip(users.tolist(), items.tolist())) == expected


def test_users_with_few_unknown_items_get_all_of_them_including_the_last_id():
    # User 0 knows every item but the last: its only negative is the last item id.
    data = dataset([(0, i) for i in range(MAX_ITEM - 1)] + [(1, 0)], 'known')
    negatives = draw_fixed_negatives(np.random.default_rng(0), np.array([0, 1]), data, num_negatives=4)
    assert negatives[0].tolist() == [MAX_ITEM - 1]
    assert negatives[1].size == 4 and 0 not in negatives[1].tolist()


def test_fixed_negatives_are_uniform_over_unknown_items():
    n_users, n_items = 4000, 21
    data = dataset([(u, 0) for u in range(n_users)], 'known', max_user=n_users, max_item=n_items)
    negatives = draw_fixed_negatives(np.random.default_rng(1), np.arange(n_users), data, num_negatives=5)
    counts = np.bincount(negatives.indices, minlength=n_items)
    assert counts[0] == 0
    expected = n_users * 5 / 20
    assert np.all(np.abs(counts[1:] - expected) < 5 * np.sqrt(expected))  # the last id is drawn too


def test_argument_errors():
    with pytest.raises(DTypeError, match='must be an openrec2.utils.Dataset'):
        EvaluationSampler(np.zeros(3), 2)
    with pytest.raises(DTypeError, match=r'excluded_datasets\[0\]'):
        EvaluationSampler(TEST, 2, excluded_datasets=[[1, 2]])
    with pytest.raises(DataError, match='same id ranges'):
        EvaluationSampler(TEST, 2, excluded_datasets=[dataset([(0, 1)], 'small', max_item=MAX_ITEM - 1)])
    with pytest.raises(UnknownOptionError, match='batch_size'):
        EvaluationSampler(TEST, 0)
    with pytest.raises(UnknownOptionError, match='num_negatives'):
        EvaluationSampler(TEST, 2, num_negatives=0)
