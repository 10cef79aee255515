"""Tests of the behaviour-sequence training sampler."""

import numpy as np
import pytest
from test_sequence_examples import toy_sequences

from openrec2.errors import DTypeError, UnknownOptionError
from openrec2.utils.samplers.sampler import Sampler
from openrec2.utils.samplers.sequence_sampler import SequenceSampler


def test_an_epoch_covers_every_training_target_once():
    sequences = toy_sequences()
    users, positions = sequences.targets('train')
    with SequenceSampler(sequences, batch_size=20, max_seq_length=3, seed=5) as sampler:
        assert isinstance(sampler, Sampler)
        assert sampler.num_targets == users.size == 30 * 3
        seen = []
        for _ in range(sampler.batches_per_epoch):
            batch = next(sampler)
            half = batch['label'].size // 2
            assert batch['label'].tolist() == [1.0] * half + [0.0] * half
            seen += list(zip(batch['user_id'][:half].tolist(), batch['item_id'][:half].tolist()))
    expected = list(zip(users.tolist(), sequences.items_at(users, positions).tolist()))
    assert sorted(seen) == sorted(expected)


def test_stream_depends_on_seed_only():
    sequences = toy_sequences()
    with SequenceSampler(sequences, 16, 3, num_process=1, seed=2) as one, \
            SequenceSampler(sequences, 16, 3, num_process=2, seed=2) as two, \
            SequenceSampler(sequences, 16, 3, seed=3) as other:
        a, b, c = [[next(s) for _ in range(4)] for s in (one, two, other)]
    for x, y in zip(a, b):
        for key in x:
            np.testing.assert_array_equal(x[key], y[key])
    assert not all(np.array_equal(x['item_id'], y['item_id']) for x, y in zip(a, c))


def test_negatives_avoid_training_items():
    sequences = toy_sequences()
    with SequenceSampler(sequences, 64, 4, seed=0) as sampler:
        batch = next(sampler)
    negatives = batch['label'] == 0
    assert not sequences.train.contains(batch['user_id'][negatives], batch['item_id'][negatives]).any()


def test_bad_arguments():
    sequences = toy_sequences()
    with pytest.raises(UnknownOptionError, match='`batch_size` must be a multiple of 2'):
        SequenceSampler(sequences, 15)
    with pytest.raises(UnknownOptionError, match='`max_seq_length` must be an integer >= 1'):
        SequenceSampler(sequences, 16, max_seq_length=0)
    with pytest.raises(DTypeError, match='must be a BehaviourSequences'):
        SequenceSampler(list(sequences.train.data), 16)
