"""YouTubeSampler (next-item training batches) and YouTubeEvaluationSampler (leave-last-out
full ranking with histories)."""

import numpy as np
import pytest

from openrec2.errors import DataError, DTypeError, UnknownOptionError
from openrec2.utils.samplers import YouTubeEvaluationSampler, YouTubeSampler
from tests.recommenders.planted import planted_histories


@pytest.fixture(scope='module')
def sequences():
    return planted_histories(num_users=30, per_user=8)[0]


def test_a_batch_is_the_history_before_each_next_item(sequences):
    with YouTubeSampler(sequences, 16, max_seq_len=4, seed=1) as sampler:
        batch = next(sampler)
    assert set(batch) == {'user_id', 'item_seq', 'item_seq_len', 'item_id'}
    for user, history, length, target in zip(batch['user_id'], batch['item_seq'], batch['item_seq_len'],
                                             batch['item_id']):
        train = sequences.sequence(user)[:sequences.num_train[user]]
        position = int(np.flatnonzero(train == target)[0])
        assert position >= 1 and length == min(position, 4)
        assert list(history[:length]) == list(train[position - length:position])
        assert not history[length:].any()  # left-aligned, padded with item 0


def test_the_stream_depends_on_seed_and_index_only(sequences):
    with YouTubeSampler(sequences, 8, seed=3) as one, YouTubeSampler(sequences, 8, seed=3, num_process=2) as two:
        first = [next(one) for _ in range(5)]
        second = [next(two) for _ in range(5)]
        two.seek(2)
        resumed = next(two)
    for a, b in zip(first, second):
        assert all(np.array_equal(a[k], b[k]) for k in a)
    assert all(np.array_equal(resumed[k], first[2][k]) for k in resumed)


def test_an_epoch_visits_every_training_target_once(sequences):
    with YouTubeSampler(sequences, 7, seed=0) as sampler:
        total = sampler.num_targets
        rows = [next(sampler) for _ in range(sampler.batches_per_epoch)]
    pairs = {(u, i) for b in rows for u, i in zip(b['user_id'], b['item_id'])}
    assert total == int(np.sum(np.maximum(sequences.num_train - 1, 0))) and len(pairs) == total


def test_evaluation_ranks_the_last_item_against_all_items_not_seen_before(sequences):
    sampler = YouTubeEvaluationSampler(sequences, 'test', max_seq_len=3, batch_size=7)
    batches = list(sampler)
    assert sum(len(b['user_id']) for b in batches) == len(sampler.users) == 30
    assert all('item_id' not in b for b in batches) and not sampler.sampled
    batch = batches[0]
    for user, history, length in zip(batch['user_id'], batch['item_seq'], batch['item_seq_len']):
        whole = sequences.sequence(user)
        assert list(sampler.test_items[user]) == [whole[-1]]
        assert sorted(sampler.excluded_items[user]) == sorted(whole[:-1])
        assert length == 3 and list(history) == list(whole[-4:-1])
    validation = YouTubeEvaluationSampler(sequences, 'validation', 3)
    user = validation.users[0]
    assert list(validation.test_items[user]) == [sequences.sequence(user)[-2]]


def test_bad_arguments_are_refused(sequences):
    with pytest.raises(DTypeError, match='BehaviourSequences'):
        YouTubeSampler([3, 1], 8)
    with pytest.raises(DTypeError, match='BehaviourSequences'):
        YouTubeEvaluationSampler({'user_id': [0]})
    with pytest.raises(UnknownOptionError, match='part'):
        YouTubeEvaluationSampler(sequences, 'train')
    sequences_without_validation = planted_histories(num_users=6, per_user=2)[0]
    with pytest.raises(DataError, match='no validation target'):
        YouTubeEvaluationSampler(sequences_without_validation, 'validation')
