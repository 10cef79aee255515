"""RNNRec: it learns a planted sequential pattern that neither most-popular nor the
history-free variant can, serves every item after a history, trains with a real sampled
softmax, saves and loads; on ML-100K it beats both baselines (slow)."""

import numpy as np
import pytest

from openrec2.errors import MissingInputError, SettingError
from openrec2.recommenders import RNNRec
from openrec2.trainer.baselines import popularity_scorer
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.evaluators import NDCG, HitRatio, evaluate_with_scorer
from openrec2.utils.samplers import TemporalEvaluationSampler, TemporalSampler
from openrec2.utils.sequences import leave_last_out

NUM_USERS, NUM_ITEMS, LENGTH, MAX_SEQ_LEN = 300, 60, 12, 6


def planted_successor_sequences(seed=0):
    """Every user's items follow one another: item i is always followed by item i + 1 (mod 60).

    Users start at random items, so every item is about equally popular and only the last
    item of the history tells the next one.
    """
    rng = np.random.default_rng(seed)
    starts = rng.integers(NUM_ITEMS, size=NUM_USERS)
    users = np.repeat(np.arange(NUM_USERS), LENGTH)
    items = (starts[:, None] + np.arange(LENGTH)[None, :]).ravel() % NUM_ITEMS
    stamps = np.tile(np.arange(LENGTH), NUM_USERS)
    return leave_last_out(ImplicitDataset(make_interactions(users, items, timestamp=stamps), NUM_USERS, NUM_ITEMS,
                                          name='planted-successors'))


def small_rnn_rec(**options):
    settings = dict(dim_item_embed=16, max_seq_len=MAX_SEQ_LEN, num_units=32, lr=0.01, seed=0)
    settings.update(options)
    return RNNRec(128, NUM_USERS, NUM_ITEMS, **settings)


def train_and_test(model, sequences, steps):
    with model, TemporalSampler(sequences, 128, MAX_SEQ_LEN, seed=0) as sampler:
        for _ in range(steps):
            model.train(next(sampler))
        return evaluate_with_scorer(model.serve, TemporalEvaluationSampler(sequences, MAX_SEQ_LEN),
                                    [HitRatio(10), NDCG(10)])


@pytest.fixture(scope='module')
def planted():
    return planted_successor_sequences()


def test_rnn_rec_learns_the_successor_pattern_that_popularity_and_no_history_cannot(planted):
    test = TemporalEvaluationSampler(planted, MAX_SEQ_LEN)
    popular = evaluate_with_scorer(popularity_scorer(planted.train), test, [HitRatio(10), NDCG(10)])
    learned = train_and_test(small_rnn_rec(), planted, steps=150)
    history_free = train_and_test(small_rnn_rec(use_history=False), planted, steps=150)
    print(f'HR@10: RNNRec {learned["Hit@10"]:.3f}, history-free {history_free["Hit@10"]:.3f}, '
          f'most-popular {popular["Hit@10"]:.3f}')
    assert learned['Hit@10'] > 0.9 and learned['NDCG@10'] > 0.8
    assert learned['Hit@10'] > popular['Hit@10'] + 0.4 and learned['Hit@10'] > history_free['Hit@10'] + 0.4
    assert learned['NDCG@10'] > 2 * max(popular['NDCG@10'], history_free['NDCG@10'])


@pytest.mark.parametrize('options', [dict(cell_type='lstm'), dict(softmax_samples=8, loss_positions='all')])
def test_the_lstm_and_the_sampled_every_position_loss_learn_too(planted, options):
    assert train_and_test(small_rnn_rec(**options), planted, steps=150)['Hit@10'] > 0.9


def test_sampled_training_never_scores_all_items_while_serving_does(planted):
    with small_rnn_rec(softmax_samples=8, loss_positions='all') as model:
        step = model._objectives['default']
        train_tensors = [t for op in _ancestor_ops([step['loss'].op, step['train_op']]) for t in op.outputs]
        assert not [t for t in train_tensors if t.shape.ndims and t.shape.ndims >= 2 and t.shape[-1] == NUM_ITEMS]
        assert model._serving_output(('seq_item_id', 'seq_len')).shape.as_list() == [None, NUM_ITEMS]


def _ancestor_ops(ops):
    from openrec2.recommenders.recommender import _ancestor_ops as walk
    return walk(ops)


def test_serving_ignores_padding_and_the_model_saves_and_loads(planted, tmp_path):
    batch = TemporalEvaluationSampler(planted, MAX_SEQ_LEN, batch_size=8).batch(0)
    batch['seq_len'] = np.array([1, 2, 3, 4, 5, 6, 6, 2], np.int32)
    dirty = dict(batch, seq_item_id=np.where(np.arange(MAX_SEQ_LEN)[None, :] < batch['seq_len'][:, None],
                                             batch['seq_item_id'], 7).astype(np.int32))
    with small_rnn_rec() as model, TemporalSampler(planted, 128, MAX_SEQ_LEN, seed=0) as sampler:
        for _ in range(5):
            model.train(next(sampler))
        scores = model.serve(batch)
        assert scores.shape == (8, NUM_ITEMS)
        np.testing.assert_array_equal(scores, model.serve(dirty))
        np.testing.assert_allclose(model.recommend_next(batch), scores, rtol=1e-6)
        path = model.save(str(tmp_path))
    with small_rnn_rec(seed=1) as restored:
        restored.load(path)
        np.testing.assert_allclose(restored.serve(batch), scores, rtol=1e-6)
        with pytest.raises(MissingInputError):
            restored.serve({'seq_item_id': batch['seq_item_id']})


def test_fit_builds_the_temporal_sampler(planted):
    with small_rnn_rec() as model:
        history = model.fit(planted, epochs=1, verbose=False)
    assert history.iterations_run == -(-planted.targets('train')[0].size // 128)


def test_bad_settings():
    with pytest.raises(SettingError, match='cell_type'):
        RNNRec(8, 2, 5, cell_type='rnn')
    with pytest.raises(SettingError, match='softmax_samples'):
        RNNRec(8, 2, 5, softmax_samples=5)
    with pytest.raises(SettingError, match='loss_positions'):
        RNNRec(8, 2, 5, loss_positions='first')
    with pytest.raises(SettingError, match='max_seq_len'):
        RNNRec(8, 2, 5, max_seq_len=0)


@pytest.mark.slow
def test_rnn_rec_on_ml100k_beats_most_popular_and_the_history_free_variant():
    from openrec2.experiments.experiment import ExperimentSettings, run_experiment
    results = {}
    for name, settings in (('rnn', {}), ('history-free', {'use_history': False})):
        result = run_experiment('RNNRec', 'ml-100k', ExperimentSettings(
            epochs=3, early_stop=False, verbose=False, progress=False, model_settings=settings))
        results[name], popular = result.results['test'], result.baseline['test']
    print({name: (round(r['Hit@10'], 4), round(r['NDCG@10'], 4)) for name, r in results.items()},
          'most-popular', (round(popular['Hit@10'], 4), round(popular['NDCG@10'], 4)))
    for metric in ('Hit@10', 'NDCG@10'):
        assert results['rnn'][metric] > 1.3 * popular[metric]
        assert results['rnn'][metric] > 1.3 * results['history-free'][metric]
