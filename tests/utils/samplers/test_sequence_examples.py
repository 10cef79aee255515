"""Tests of the labelled behaviour-sequence example builders."""

import numpy as np
import pytest

from openrec2.datasets.data_split import build_data_split
from openrec2.datasets.sequences import sequences_from_split
from openrec2.errors import DataError, UnknownOptionError
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import HitRatio, evaluate_sampled
from openrec2.utils.samplers.sequence_examples import (labelled_sequence_examples, sampled_ranking_examples,
                                                       sequence_examples)


def toy_sequences(num_users=30, length=6, num_items=40, seed=0):
    rng = np.random.default_rng(seed)
    users = np.repeat(np.arange(num_users), length)
    items = np.concatenate([rng.choice(num_items, size=length, replace=False) for _ in range(num_users)])
    stamps = np.tile(np.arange(length), num_users)
    split = build_data_split('toy', make_interactions(users, items, timestamp=stamps), num_users, num_items,
                             'leave_one_out', (0.8, 0.2), 0)
    return sequences_from_split(split)


def test_examples_pair_each_positive_with_a_negative_on_the_same_history():
    sequences = toy_sequences()
    users, positions = sequences.targets('train')
    batch = sequence_examples(sequences, users, positions, 3, np.random.default_rng(0), sequences.train)
    n = users.size
    assert batch['label'].tolist() == [1.0] * n + [0.0] * n
    np.testing.assert_array_equal(batch['item_seq'][:n], batch['item_seq'][n:])
    np.testing.assert_array_equal(batch['item_id'][:n], sequences.items_at(users, positions))
    assert not sequences.train.contains(batch['user_id'][n:], batch['item_id'][n:]).any()
    real = np.arange(3)[None, :] < batch['item_seq_len'][:, None]
    assert not sequences.train.contains(np.repeat(batch['user_id'], 3)[real.ravel()],
                                        batch['neg_item_seq'][real]).any()
    assert (batch['neg_item_seq'][~real] == 0).all() and (batch['item_seq'][~real] == 0).all()
    assert {k: v.dtype.name for k, v in batch.items()} == {
        'user_id': 'int32', 'item_seq': 'int32', 'item_seq_len': 'int32', 'neg_item_seq': 'int32',
        'item_id': 'int32', 'label': 'float32'}


def test_labelled_test_examples_are_fixed_by_the_seed_and_avoid_known_items():
    sequences = toy_sequences()
    first = labelled_sequence_examples(sequences, 'test', max_seq_length=4, seed=3)
    again = labelled_sequence_examples(sequences, 'test', max_seq_length=4, seed=3)
    other = labelled_sequence_examples(sequences, 'test', max_seq_length=4, seed=4)
    for key in first:
        np.testing.assert_array_equal(first[key], again[key])
    assert not np.array_equal(first['item_id'], other['item_id'])
    n = sequences.max_user
    assert first['label'].sum() == n and first['item_id'].size == 2 * n
    assert not sequences.known.contains(first['user_id'][n:], first['item_id'][n:]).any()
    # The test history is everything before the last item (validation item included).
    assert first['item_seq_len'][:n].tolist() == [4] * n
    np.testing.assert_array_equal(first['item_seq'][0], sequences.sequence(0)[1:5])


def test_sampled_ranking_rows_align_with_candidates():
    sequences = toy_sequences()
    batch, candidates, positives = sampled_ranking_examples(sequences, 'test', max_seq_length=4,
                                                            num_candidates=9, max_users=10, seed=1)
    assert batch['item_id'].size == 100 and batch['label'].sum() == 10
    # An oracle that scores the label ranks every true item first.
    results = evaluate_sampled(batch['label'], candidates, positives, evaluators=[HitRatio(1)])
    assert results['Hit@1'] == 1.0 and results.num_evaluated == 10
    _, again, _ = sampled_ranking_examples(sequences, 'test', max_seq_length=4, num_candidates=9,
                                           max_users=10, seed=1)
    np.testing.assert_array_equal(candidates.indices, again.indices)


def test_bad_part_and_missing_part():
    sequences = toy_sequences()
    with pytest.raises(UnknownOptionError, match="part must be 'validation' or 'test'"):
        labelled_sequence_examples(sequences, 'train')
    with pytest.raises(UnknownOptionError, match='`num_negatives` must be an integer >= 1'):
        labelled_sequence_examples(sequences, 'test', num_negatives=0)
    users = np.repeat(np.arange(3), 2)
    split = build_data_split('pairs', make_interactions(users, np.arange(6), timestamp=np.arange(6)), 3, 6,
                             'leave_one_out', (0.8, 0.2), 0, validation=True)
    with pytest.raises(DataError, match='has no validation target'):
        labelled_sequence_examples(sequences_from_split(split), 'validation')
