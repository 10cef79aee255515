"""DIEN: padding never matters, the GRU types differ, and the model learns planted
interest sequences that neither target popularity nor the history-free variant can."""

import numpy as np
import pytest

from openrec2.datasets.data_split import build_data_split
from openrec2.datasets.sequences import sequences_from_split
from openrec2.errors import MissingInputError, ShapeError, UnknownOptionError
from openrec2.recommenders import DIEN
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import AUC, LogLoss, evaluate_labelled
from openrec2.utils.samplers.sequence_examples import labelled_sequence_examples
from openrec2.utils.samplers.sequence_sampler import SequenceSampler

MAX_SEQ_LENGTH = 8


def planted_sequences(num_users=400, num_items=120, clusters=6, length=10, switch=0.1, seed=0):
    """Each user browses one cluster of items at a time and switches cluster rarely.

    Every item is equally popular, so only the history predicts the next item.
    """
    rng = np.random.default_rng(seed)
    members = np.arange(num_items).reshape(clusters, -1)
    users, items = [], []
    for user in range(num_users):
        cluster = rng.integers(clusters)
        for _ in range(length):
            if rng.random() < switch:
                cluster = rng.integers(clusters)
            users.append(user)
            items.append(rng.choice(members[cluster]))
    stamps = np.tile(np.arange(length), num_users)
    # A side feature that does not reveal the cluster (item id parity).
    features = np.eye(2, dtype=np.float32)[np.arange(num_items) % 2]
    split = build_data_split('planted-sequences', make_interactions(users, items, timestamp=stamps), num_users,
                             num_items, 'leave_one_out', (0.8, 0.2), seed, item_features=features)
    return sequences_from_split(split)


def small_dien(sequences, **options):
    settings = dict(max_seq_length=MAX_SEQ_LENGTH, embedding_size=8, mlp_hidden_size=[32, 16], lr=0.01, seed=0,
                    item_features=sequences.item_features, attention_mlp_size=[16])
    settings.update(options)
    return DIEN(256, sequences.max_user, sequences.max_item, **settings)


def train_and_test_auc(model, sequences, test, steps):
    with SequenceSampler(sequences, 256, MAX_SEQ_LENGTH, seed=0) as sampler:
        for _ in range(steps):
            model.train(next(sampler))
    return evaluate_labelled(model.predict(test), test['label'], [AUC(), LogLoss()])


def test_dien_beats_target_popularity_and_the_history_free_variant():
    sequences = planted_sequences()
    test = labelled_sequence_examples(sequences, 'test', MAX_SEQ_LENGTH, seed=1)
    popularity = evaluate_labelled(sequences.train.item_popularity[test['item_id']].astype(float),
                                   test['label'], [AUC()])['AUC']
    with small_dien(sequences) as model:
        dien = train_and_test_auc(model, sequences, test, steps=250)
    with small_dien(sequences, use_history=False) as model:
        history_free = train_and_test_auc(model, sequences, test, steps=250)
    print(f"AUC: DIEN {dien['AUC']:.3f}, history-free {history_free['AUC']:.3f}, popularity {popularity:.3f}")
    assert dien['AUC'] > popularity + 0.15
    assert dien['AUC'] > history_free['AUC'] + 0.15
    assert dien['LogLoss'] < history_free['LogLoss']


@pytest.fixture(scope='module')
def planted():
    return planted_sequences(num_users=60)


def test_padded_positions_never_change_the_probabilities(planted):
    test = labelled_sequence_examples(planted, 'test', MAX_SEQ_LENGTH, seed=1)
    # Cut the histories to lengths 1..7; pad the rest with zeros, or with other items.
    test['item_seq_len'] = (1 + np.arange(test['label'].size) % (MAX_SEQ_LENGTH - 1)).astype(np.int32)
    real = np.arange(MAX_SEQ_LENGTH)[None, :] < test['item_seq_len'][:, None]
    garbage = dict(test)
    test['item_seq'] = np.where(real, test['item_seq'], 0).astype(np.int32)
    garbage['item_seq'] = np.where(real, test['item_seq'], 1 + np.arange(MAX_SEQ_LENGTH)).astype(np.int32)
    with small_dien(planted) as model:
        with SequenceSampler(planted, 64, MAX_SEQ_LENGTH, seed=0) as sampler:
            for _ in range(5):
                model.train(next(sampler))
        clean, dirty = model.predict(test), model.predict(garbage)
        # A single example served alone gets the same probability as in a batch.
        alone = model.serve({key: value[:1] for key, value in test.items()})
    np.testing.assert_array_equal(clean, dirty)
    np.testing.assert_allclose(alone, clean[:1], rtol=1e-6)
    assert clean.shape == (test['label'].size,) and 0 < clean.min() and clean.max() < 1


def test_gru_types_give_different_predictions(planted):
    test = labelled_sequence_examples(planted, 'test', MAX_SEQ_LENGTH, seed=1)
    predictions = {}
    for gru_type in ('AUGRU', 'AGRU', 'AIGRU', 'GRU'):
        with small_dien(planted, gru_type=gru_type, mlp_hidden_size=[8], attention_mlp_size=[4]) as model:
            assert model.gru_type == gru_type
            predictions[gru_type] = model.predict(test)
    types = list(predictions)
    for i, first in enumerate(types):
        for second in types[i + 1:]:
            assert np.abs(predictions[first] - predictions[second]).max() > 1e-5, (first, second)


def test_inputs_and_errors(planted):
    with pytest.raises(UnknownOptionError, match="`gru_type` must be one of .*got 'LSTM'"):
        small_dien(planted, gru_type='LSTM')
    with pytest.raises(UnknownOptionError, match='`alpha` must be a finite number >= 0'):
        small_dien(planted, alpha=-1.0)
    with pytest.raises(ShapeError, match='`item_features` must be a \[120, F\] matrix'):
        small_dien(planted, item_features=np.ones((3, 2)))
    with small_dien(planted, use_history=False, item_features=None, mlp_hidden_size=[4]) as model:
        assert model.input_names(train=True) == ['item_id', 'label']
        assert model.input_names(train=False) == ['item_id']
        with pytest.raises(MissingInputError, match='cannot serve a batch'):
            model.serve({'user_id': np.zeros(2, np.int32)})
        with pytest.raises(MissingInputError, match="predict needs \\['item_id'\\]"):
            model.predict({'user_id': np.zeros(2, np.int32)})


@pytest.mark.slow
def test_dien_on_amazon_beauty_beats_both_baselines_by_five_points():
    from openrec2.datasets.sequences import load_beauty_sequences
    sequences = load_beauty_sequences()
    length, batch_size = 20, 1024
    test = labelled_sequence_examples(sequences, 'test', length, seed=2020)
    popularity = evaluate_labelled(sequences.train.item_popularity[test['item_id']].astype(float),
                                   test['label'], [AUC()])['AUC']
    results = {}
    for use_history in (True, False):
        with DIEN(batch_size, sequences.max_user, sequences.max_item, item_features=sequences.item_features,
                  max_seq_length=length, use_history=use_history, lr=0.004, test_batch_size=4096,
                  seed=2020) as model, SequenceSampler(sequences, batch_size, length, seed=2020) as sampler:
            for _ in range(sampler.batches_per_epoch):
                model.train(next(sampler))
            results[use_history] = evaluate_labelled(model.predict(test), test['label'], [AUC()])['AUC']
    assert results[True] > popularity + 0.05
    assert results[True] > results[False] + 0.05
