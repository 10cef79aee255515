"""Tests of the chronological-history samplers: training (history, next item) batches and
leave-last-out full-ranking evaluation."""

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError, SettingError
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.evaluators import HitRatio, evaluate_with_scorer
from openrec2.utils.samplers import TemporalEvaluationSampler, TemporalSampler
from openrec2.utils.sequences import leave_last_out

NUM_USERS, NUM_ITEMS, LENGTH = 12, 30, 7


def timed_dataset():
    """User u's items u, u+1, ..., u+6 (mod 30), their timestamps in reverse row order."""
    users = np.repeat(np.arange(NUM_USERS), LENGTH)
    items = (users + np.tile(np.arange(LENGTH), NUM_USERS)) % NUM_ITEMS
    stamps = np.tile(np.arange(LENGTH), NUM_USERS)
    order = np.arange(users.size)[::-1]
    return ImplicitDataset(make_interactions(users[order], items[order], timestamp=stamps[order]),
                           NUM_USERS, NUM_ITEMS, name='timed')


def test_batches_hold_the_history_before_each_target():
    sequences = leave_last_out(timed_dataset())
    with TemporalSampler(sequences, 16, max_seq_len=3, seed=1) as sampler:
        batch = next(sampler)
    assert set(batch) == {'user_id', 'seq_item_id', 'seq_len', 'label'}
    assert all(value.dtype == np.int32 for value in batch.values())
    for user, history, length, label in zip(batch['user_id'], batch['seq_item_id'], batch['seq_len'],
                                            batch['label']):
        offset = (label - user) % NUM_ITEMS  # the target's position in the user's sequence
        assert 1 <= offset < LENGTH - 2  # a training target (the last two are held out)
        assert length == min(offset, 3)
        np.testing.assert_array_equal(history[:length], (label - np.arange(length, 0, -1)) % NUM_ITEMS)
        assert not history[length:].any()


def test_an_epoch_covers_every_training_target_once():
    sequences = leave_last_out(timed_dataset())
    with TemporalSampler(sequences, 8, 4, seed=0) as sampler:
        assert sampler.num_targets == NUM_USERS * (LENGTH - 3) and sampler.batches_per_epoch == 6
        seen = []
        for _ in range(sampler.batches_per_epoch):
            batch = next(sampler)
            seen += list(zip(batch['user_id'].tolist(), batch['label'].tolist()))
    users, positions = sequences.targets('train')
    assert sorted(seen) == sorted(zip(users.tolist(), sequences.items_at(users, positions).tolist()))


def test_stream_depends_only_on_the_seed_and_resumes_exactly():
    sequences = leave_last_out(timed_dataset())
    with TemporalSampler(sequences, 8, 3, num_process=1, seed=4) as one, \
            TemporalSampler(sequences, 8, 3, num_process=2, seed=4) as two, \
            TemporalSampler(sequences, 8, 3, seed=5) as other, TemporalSampler(sequences, 8, 3, seed=4) as resumed:
        a, b, c = [[next(s) for _ in range(9)] for s in (one, two, other)]
        resumed.seek(6)
        tail = [next(resumed) for _ in range(3)]
    for x, y in zip(a, b):
        for key in x:
            np.testing.assert_array_equal(x[key], y[key])
    for x, y in zip(a[6:], tail):
        np.testing.assert_array_equal(x['label'], y['label'])
    assert not all(np.array_equal(x['label'], y['label']) for x, y in zip(a, c))


def test_a_dataset_with_timestamps_is_all_training_history():
    with TemporalSampler(timed_dataset(), 8, 3, seed=0) as sampler:
        assert sampler.num_targets == NUM_USERS * (LENGTH - 1) and sampler.max_seq_len == 3


def test_evaluation_ranks_the_held_out_item_after_the_whole_history():
    sequences = leave_last_out(timed_dataset())
    test = TemporalEvaluationSampler(sequences, 4, 'test', batch_size=5)
    validation = TemporalEvaluationSampler(sequences, 4, 'validation', batch_size=5)
    assert len(test) == 3 and not test.sampled and test.max_item == NUM_ITEMS
    batch = test.batch(0)
    assert set(batch) == {'user_id', 'seq_item_id', 'seq_len'} and batch['seq_len'].tolist() == [4] * 5
    np.testing.assert_array_equal(batch['seq_item_id'][1], (1 + np.arange(2, 6)) % NUM_ITEMS)
    assert [test.test_items[u].tolist() for u in (0, 1)] == [[6], [7]]
    assert [validation.test_items[u].tolist() for u in (0, 1)] == [[5], [6]]
    # The whole earlier history leaves the ranking (the validation item too, for the test).
    assert test.excluded_items[0].tolist() == [0, 1, 2, 3, 4, 5]
    assert validation.excluded_items[0].tolist() == [0, 1, 2, 3, 4]
    assert TemporalEvaluationSampler(sequences, 4, exclude_history=False).excluded_items.lengths.sum() == 0

    def successor(batch):  # scores the item after the last one of the history highest
        last = batch['seq_item_id'][np.arange(len(batch['seq_len'])), batch['seq_len'] - 1]
        return np.eye(NUM_ITEMS)[(last + 1) % NUM_ITEMS]

    assert evaluate_with_scorer(successor, test, [HitRatio(1)])['Hit@1'] == 1.0
    assert evaluate_with_scorer(successor, validation, [HitRatio(1)])['Hit@1'] == 1.0


def test_legacy_dataset_evaluation_holds_out_each_users_last_item():
    sampler = TemporalEvaluationSampler(timed_dataset(), 10)
    assert sampler.test_items[3].tolist() == [9] and sampler.batch(0)['seq_len'][0] == LENGTH - 1


def test_errors():
    sequences = leave_last_out(timed_dataset(), num_held_out=1)
    with pytest.raises(DataError, match='no validation target'):
        TemporalEvaluationSampler(sequences, 3, 'validation')
    with pytest.raises(SettingError, match='part'):
        TemporalEvaluationSampler(sequences, 3, 100)  # the legacy positional seed is never taken as a part
    with pytest.raises(SettingError, match='max_seq_len'):
        TemporalSampler(sequences, 8, 0)
    with pytest.raises(DTypeError, match='must be a BehaviourSequences'):
        TemporalSampler(np.zeros(3), 8)
    with pytest.raises(DataError, match='no timestamp field'):
        TemporalSampler(ImplicitDataset(make_interactions([0, 0], [0, 1]), 1, 2), 8)
