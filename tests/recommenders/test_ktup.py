"""KTUP: serving contract, both objectives, learning on planted data and on ML-100K with its KG."""

import os

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.datasets.knowledge_graph import KnowledgeGraph
from openrec2.errors import SettingError, ShapeError
from openrec2.recommenders import KTUP
from openrec2.trainer.kg_evaluation import KG_TAIL_ACCURACY, KGTailEvaluation
from openrec2.utils.evaluators import NDCG, Recall, evaluate
from openrec2.utils.samplers import KGSampler, PairwiseSampler

from planted import planted_split, popularity_metrics, test_metrics

LINKED_ITEMS = 120  # planted items 120.. have no entity


def planted_graph(split):
    """Items 0..119 are entities 0..119; entities 120..127 are topics (sign of the top planted factor).

    Relation 0: item -> its topic; relation 1: topic -> item.
    """
    factors = split.metadata['item_factors'][:LINKED_ITEMS]
    top = np.abs(factors).argmax(1)
    topics = LINKED_ITEMS + 2 * top + (factors[np.arange(LINKED_ITEMS), top] > 0)
    items = np.arange(LINKED_ITEMS)
    item_entity = np.where(np.arange(split.max_item) < LINKED_ITEMS, np.arange(split.max_item), -1)
    return KnowledgeGraph('planted', np.concatenate([items, topics]), np.repeat([0, 1], LINKED_ITEMS),
                          np.concatenate([topics, items]), LINKED_ITEMS + 8, 2, item_entity)


def kg_accuracy(model, test_graph, known_graph):
    """Share of held-out (true, corrupted) tail pairs the model orders correctly."""
    return KGTailEvaluation(test_graph, known_graph, num_corrupted=5).evaluate(model)[KG_TAIL_ACCURACY]


def train_rounds(model, rec_sampler, kg_sampler, rounds):
    """Train ``rounds`` rounds of KTUP's own schedule through the trainer; returns the history."""
    per_round = sum(count for _, count in model.default_schedule(
        {'rec': rec_sampler.batches_per_epoch, 'kg': kg_sampler.batches_per_epoch}))
    epoch = {'rec': rec_sampler.batches_per_epoch, 'kg': kg_sampler.batches_per_epoch}
    # One loss window per epoch of either objective: the greatest common window is one batch-epoch.
    window = int(np.gcd(epoch['rec'], epoch['kg']))
    return ModelTrainer(model, verbose=False).train(rounds * per_round, window, None,
                                                    {'rec': rec_sampler, 'kg': kg_sampler})


def make_model(split, graph, **kwargs):
    settings = dict(batch_size=256, max_user=split.max_user, max_item=split.max_item,
                    num_entities=graph.num_entities, num_relations=graph.num_relations,
                    item_entity=graph.item_entity, embedding_size=16, lr=0.01, seed=0)
    settings.update(kwargs)
    return KTUP(**settings)


@pytest.fixture(scope='module')
def trained():
    """A KTUP trained for 8 rounds on the planted problem and graph (shared by the tests below)."""
    split = planted_split()
    graph = planted_graph(split)
    with make_model(split, graph, train_rec_step=4, train_kg_step=2, pairs_per_chunk=500) as model, \
            KGSampler(graph, 64, seed=0) as kg_sampler, PairwiseSampler(split.train, 256, seed=0) as rec_sampler:
        before = kg_accuracy(model, graph, graph)
        history = train_rounds(model, rec_sampler, kg_sampler, rounds=8)
        yield dict(split=split, graph=graph, model=model, before=before, history=history,
                   kg_sampler=kg_sampler, rec_sampler=rec_sampler)


def test_learns_planted_problem_and_graph(trained):
    split, graph, model, history = trained['split'], trained['graph'], trained['model'], trained['history']
    rec_losses = [w['loss'] for w in history.losses if w['objective'] == 'rec']
    kg_losses = [w['loss'] for w in history.losses if w['objective'] == 'kg']
    rec_iterations = sum(w['num_iters'] for w in history.losses if w['objective'] == 'rec')
    kg_iterations = sum(w['num_iters'] for w in history.losses if w['objective'] == 'kg')
    # 8 rounds of 4 rec epochs and 2 kg epochs, in the schedule's order.
    assert rec_iterations == 32 * trained['rec_sampler'].batches_per_epoch
    assert kg_iterations == 16 * trained['kg_sampler'].batches_per_epoch
    assert history.batches_per_epoch == rec_iterations // 8 + kg_iterations // 8  # an epoch is a round
    assert rec_losses[-1] < 0.7 * rec_losses[0] and kg_losses[-1] < 0.5 * kg_losses[0]
    learned = test_metrics(model.serve_all_items(np.arange(split.max_user)), split)
    popular = popularity_metrics(split)
    assert learned['Recall@10'] > 1.5 * popular['Recall@10'] and learned['AUC'] > popular['AUC'] + 0.1
    after = kg_accuracy(model, graph, graph)
    assert after > 0.9 and after > trained['before'] + 0.2


def test_objectives_inputs_and_serving_contract(trained, tmp_path):
    split, graph, model = trained['split'], trained['graph'], trained['model']
    assert model.objectives == ['rec', 'kg']
    assert model.input_names(False) == ['user_id', 'item_id', 'head', 'relation', 'tail']
    users = np.array([0, 5, 7, 199], np.int32)
    all_items = model.serve({'user_id': users})
    assert all_items.shape == (4, split.max_item)
    assert np.array_equal(all_items, model.serve({'user_id': users}))  # no noise at serving
    items = np.array([3, 149, 77, 120], np.int32)  # 120 and 149 have no entity
    pairs = model.serve({'user_id': users, 'item_id': items})
    assert np.allclose(pairs, all_items[np.arange(4), items], atol=1e-5)
    assert np.allclose(model.serve_all_items(np.arange(split.max_user))[users], all_items, atol=1e-5)
    triples = model.score_triples(graph.head[:10], graph.relation[:10], graph.tail[:10])
    assert triples.shape == (10,) and np.all(triples <= 0)
    # Each objective feeds only its own inputs; save, train on, load: serving returns to the saved state.
    model.save(str(tmp_path))
    assert np.isfinite(model.train(next(trained['kg_sampler']), 'kg'))
    assert np.isfinite(model.train(next(trained['rec_sampler']), 'rec'))
    assert not np.allclose(model.serve({'user_id': users}), all_items)
    model.load(str(tmp_path))
    assert np.array_equal(model.serve({'user_id': users}), all_items)


def test_schedule_runs_in_the_model_trainer(trained):
    model, rec_sampler, kg_sampler = trained['model'], trained['rec_sampler'], trained['kg_sampler']
    schedule = model.default_schedule({'rec': rec_sampler.batches_per_epoch, 'kg': kg_sampler.batches_per_epoch})
    assert schedule == [('rec', 4 * rec_sampler.batches_per_epoch), ('kg', 2 * kg_sampler.batches_per_epoch)]
    steps = model.global_step
    ModelTrainer(model).train(total_iter=6, eval_iter=None, save_iter=None,
                              train_sampler={'rec': rec_sampler, 'kg': kg_sampler},
                              objective_schedule=[('rec', 2), ('kg', 1)])
    assert model.global_step == steps + 6


def test_soft_weighting_and_l1_variant_learn():
    split = planted_split()
    graph = planted_graph(split)
    with make_model(split, graph, use_st_gumbel=False, L1_flag=True, train_rec_step=4, train_kg_step=1) as model, \
            KGSampler(graph, 64, seed=0) as kg_sampler, PairwiseSampler(split.train, 256, seed=0) as rec_sampler:
        train_rounds(model, rec_sampler, kg_sampler, rounds=8)
        scores = model.serve_all_items(np.arange(split.max_user))
    assert test_metrics(scores, split)['AUC'] > popularity_metrics(split)['AUC'] + 0.1


def test_errors():
    split = planted_split()
    graph = planted_graph(split)
    with pytest.raises(ShapeError, match='`item_entity` must hold one entity id'):
        make_model(split, graph, item_entity=graph.item_entity[:10])
    with pytest.raises(ShapeError, match='`item_entity` must hold one entity id'):
        make_model(split, graph, item_entity=np.full(split.max_item, graph.num_entities))
    with pytest.raises(SettingError, match='`num_relations` must be an integer >= 1'):
        make_model(split, graph, num_relations=0)
    with pytest.raises(SettingError, match='`kg_weight` must be a finite number >= 0'):
        make_model(split, graph, kg_weight=-1.0)
    with pytest.raises(SettingError, match='`margin` must be a finite number > 0'):
        make_model(split, graph, margin=0.0)
    with pytest.raises(SettingError, match='train_rec_step and train_kg_step are both 0'):
        make_model(split, graph, train_rec_step=0, train_kg_step=0)


@pytest.mark.skipif(not os.environ.get('OPENREC2_DATA'), reason='needs the real dataset files (OPENREC2_DATA)')
def test_ml100k_with_knowledge_graph_beats_most_popular():
    from openrec2.datasets.knowledge_graph import load_ml100k_kg
    split, graph = load_ml100k_kg()
    kg_train, kg_test = graph.split(0.1, seed=0)
    users = np.arange(split.max_user)
    excluded = [np.concatenate(parts) for parts in zip(split.train.item_lists(users), split.validation.item_lists(users))]
    metrics = [Recall(10), NDCG(10)]
    with KTUP(batch_size=1024, max_user=split.max_user, max_item=split.max_item, num_entities=graph.num_entities,
              num_relations=graph.num_relations, item_entity=graph.item_entity, embedding_size=64, lr=0.005,
              train_rec_step=1, train_kg_step=1, test_batch_size=256, seed=0) as model, \
            PairwiseSampler(split.train, 1024, seed=0) as rec_sampler, KGSampler(kg_train, 1024, seed=0) as kg_sampler:
        train_rounds(model, rec_sampler, kg_sampler, rounds=6)
        learned = evaluate(model.serve_all_items(users), split.test.item_lists(users), excluded, metrics)
        accuracy = kg_accuracy(model, kg_test, graph)
    popularity = np.tile(split.train.item_popularity.astype(np.float64), (split.max_user, 1))
    popular = evaluate(popularity, split.test.item_lists(users), excluded, metrics)
    assert learned['Recall@10'] > popular['Recall@10'] + 0.01
    assert accuracy > 0.65  # held-out triples: true tails above corrupted ones
