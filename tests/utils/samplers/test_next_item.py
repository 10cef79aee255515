"""Tests of the shared next-item layer: the temporal (RNNRec) and YouTube samplers are
one walk and one batch builder under two sets of key names."""

import numpy as np
import pytest

from openrec2.errors import SettingError
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.samplers import (
    TEMPORAL_KEYS, YOUTUBE_KEYS, SequenceSampler, TemporalEvaluationSampler, TemporalSampler,
    YouTubeEvaluationSampler, YouTubeSampler, next_item_batch)
from openrec2.utils.sequences import leave_last_out


def sequences():
    """User u watched items u, u+1, ..., u+5 (mod 20) in that order."""
    users = np.repeat(np.arange(10), 6)
    items = (users + np.tile(np.arange(6), 10)) % 20
    stamps = np.tile(np.arange(6), 10)
    return leave_last_out(ImplicitDataset(make_interactions(users, items, timestamp=stamps), 10, 20, name='toy'), 2)


def renamed(batch, source, target):
    return {getattr(target, field): batch[getattr(source, field)] for field in source._fields if
            getattr(source, field) in batch}


def test_both_training_samplers_stream_the_same_examples_under_their_own_keys():
    data = sequences()
    with TemporalSampler(data, 8, max_seq_len=4, seed=3) as temporal, \
            YouTubeSampler(data, 8, max_seq_len=4, seed=3) as youtube:
        for _ in range(5):
            rnn_batch, youtube_batch = next(temporal), next(youtube)
            assert set(rnn_batch) == set(TEMPORAL_KEYS)
            translated = renamed(rnn_batch, TEMPORAL_KEYS, YOUTUBE_KEYS)
            assert all(np.array_equal(translated[key], youtube_batch[key]) for key in YOUTUBE_KEYS)


def test_the_history_is_what_came_before_the_target_and_counts_its_real_length():
    data = sequences()
    users, positions = np.array([0, 3]), np.array([1, 3])
    batch = next_item_batch(data, users, positions, 3, TEMPORAL_KEYS)
    np.testing.assert_array_equal(batch['seq_item_id'], [[0, 0, 0], [3, 4, 5]])  # user 0: one item, padded
    np.testing.assert_array_equal(batch['seq_len'], [1, 3])
    np.testing.assert_array_equal(batch['label'], [1, 6])
    assert 'label' not in next_item_batch(data, users, positions, 3, TEMPORAL_KEYS, with_target=False)


def test_both_evaluation_samplers_rank_the_same_targets_after_the_same_histories():
    data = sequences()
    rnn = TemporalEvaluationSampler(data, max_seq_len=4, part='validation', batch_size=4)
    youtube = YouTubeEvaluationSampler(data, part='validation', max_seq_len=4, batch_size=4)
    assert rnn.num_batches == youtube.num_batches
    for index in range(rnn.num_batches):
        translated = renamed(rnn.batch(index), TEMPORAL_KEYS, YOUTUBE_KEYS)
        assert all(np.array_equal(translated[key], value) for key, value in youtube.batch(index).items())
    np.testing.assert_array_equal(rnn.test_items.indices, youtube.test_items.indices)
    np.testing.assert_array_equal(rnn.excluded_items.indices, youtube.excluded_items.indices)


def test_dien_sampler_takes_two_rows_per_target_from_the_same_walk():
    data = sequences()
    with SequenceSampler(data, 8, max_seq_length=4, seed=3) as dien, YouTubeSampler(data, 4, max_seq_len=4,
                                                                                        seed=3) as youtube:
        assert dien.batches_per_epoch == youtube.batches_per_epoch
        dien_batch, youtube_batch = next(dien), next(youtube)
    np.testing.assert_array_equal(dien_batch['item_id'][:4], youtube_batch['item_id'])
    with pytest.raises(SettingError, match='multiple of 2'):
        SequenceSampler(data, 7)
