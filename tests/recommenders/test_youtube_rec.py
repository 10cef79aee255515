"""VanillaYouTubeRec and YouTubeRec (Covington et al., RecSys 2016): the history is averaged over
its real length, the models learn a planted next-item pattern that most-popular and the
history-free variant cannot see, and (slow) beat both on ML-100K next-item ranking over all items."""

import numpy as np
import pytest

from openrec2.errors import SettingError
from openrec2.recommenders import VanillaYouTubeRec, YouTubeRec
from openrec2.trainer.baselines import popularity_scorer
from openrec2.trainer.evaluations import model_scorer
from openrec2.utils.evaluators import NDCG, HitRatio, evaluate_with_scorer
from openrec2.utils.samplers import YouTubeEvaluationSampler, YouTubeSampler
from tests.recommenders.planted import planted_histories

EVALUATORS = [HitRatio(10), NDCG(10)]


@pytest.fixture(scope='module')
def planted():
    return planted_histories()[0]


def make(kind, sequences, **settings):
    common = dict(batch_size=64, max_user=sequences.max_user, max_item=sequences.max_item, dim_item_embed=16,
                  max_seq_len=8, softmax_samples=20, lr=0.01, seed=0, **settings)
    if kind == 'vanilla':
        return VanillaYouTubeRec(**common)
    return YouTubeRec(user_features=sequences.user_features, item_features=sequences.item_features,
                      use_history=kind != 'history-free', **common)


def trained_metrics(model, sequences, steps):
    test = YouTubeEvaluationSampler(sequences, 'test', model.max_seq_len)
    with model, YouTubeSampler(sequences, model.batch_size, model.max_seq_len, seed=0) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(5)])
        for _ in range(steps):
            last = model.train(next(sampler))
        return first, last, evaluate_with_scorer(model_scorer(model, test), test, EVALUATORS)


def test_both_models_learn_the_planted_clusters_that_popularity_and_the_history_free_variant_miss(planted):
    test = YouTubeEvaluationSampler(planted, 'test', 8)
    popular = evaluate_with_scorer(popularity_scorer(planted.train), test, EVALUATORS)
    _, _, history_free = trained_metrics(make('history-free', planted), planted, 200)
    for kind in ('vanilla', 'youtube'):
        first, last, learned = trained_metrics(make(kind, planted), planted, 200)
        assert last < 0.8 * first
        # Chance is about 10 / 69 unseen items; the user's cluster has 9 unseen items left.
        assert learned['Hit@10'] > 0.8, kind
        assert learned['Hit@10'] > popular['Hit@10'] + 0.4 and learned['NDCG@10'] > popular['NDCG@10'] + 0.3
        assert learned['Hit@10'] > history_free['Hit@10'] + 0.4


def test_padding_never_counts_in_the_history_average(planted):
    with make('youtube', planted) as model:
        history = np.array([[3, 7, 0, 0, 0, 0, 0, 0], [3, 7, 11, 12, 13, 14, 15, 16]], np.int32)
        batch = {'user_id': np.array([1, 1], np.int32), 'item_seq': history, 'item_seq_len': np.array([2, 2], np.int32)}
        scores = model.serve(batch)
        np.testing.assert_allclose(scores[0], scores[1], rtol=1e-5)  # the padded tail's contents do not matter
        longer = model.serve(dict(batch, item_seq_len=np.array([2, 3], np.int32)))
        assert not np.allclose(longer[0], longer[1])  # a real third item does


def test_serving_shares_the_training_variables_and_scores_pairs(planted):
    with make('youtube', planted) as model:
        names = [v.op.name for v in model.graph.get_collection('variables')]
        assert len(names) == len(set(names))
        batch = {'user_id': np.array([0, 1], np.int32), 'item_seq': np.zeros((2, 8), np.int32),
                 'item_seq_len': np.array([1, 0], np.int32)}
        every = model.serve(batch)
        pairs = model.serve(dict(batch, item_id=np.array([4, 79], np.int32)))
        assert every.shape == (2, planted.max_item)
        np.testing.assert_allclose(pairs, every[[0, 1], [4, 79]], rtol=1e-5)
    with make('history-free', planted) as model:
        assert model.input_names(train=False) == ['user_id', 'item_id']
        assert model.serve({'user_id': np.array([0, 1], np.int32)}).shape == (2, planted.max_item)


def test_bad_settings_are_refused(planted):
    with pytest.raises(SettingError, match='use_history=False needs user_features'):
        YouTubeRec(64, planted.max_user, planted.max_item, use_history=False)
    with pytest.raises(SettingError, match='softmax_samples'):
        VanillaYouTubeRec(64, planted.max_user, planted.max_item, softmax_samples=planted.max_item)
    with pytest.raises(SettingError, match='max_seq_len'):
        VanillaYouTubeRec(64, planted.max_user, planted.max_item, max_seq_len=0)


@pytest.mark.slow
def test_on_ml100k_both_models_beat_most_popular_and_the_history_free_variant():
    from openrec2.datasets.sequences import load_ml100k_sequences
    from openrec2.experiments.experiment import ExperimentData, ExperimentSettings, run_experiment
    data = ExperimentData('ml-100k', None, sequences=load_ml100k_sequences())
    results = {}
    for name, settings in (('VanillaYouTubeRec', {}), ('YouTubeRec', {}),
                           ('history-free', {'use_history': False})):
        model = 'VanillaYouTubeRec' if name == 'VanillaYouTubeRec' else 'YouTubeRec'
        result = run_experiment(model, 'ml-100k', ExperimentSettings(topk=(10,), model_settings=settings,
                                                                     verbose=False), data=data)
        results[name] = result.results['test']
        popular = result.baseline['test']
    for name in ('VanillaYouTubeRec', 'YouTubeRec'):
        for metric in ('Hit@10', 'NDCG@10'):
            assert results[name][metric] > popular[metric], (name, metric, results[name], popular)
            assert results[name][metric] > results['history-free'][metric], (name, metric, results)
