"""Each built-in model (the seven of the papers and the legacy zoo) trains through ModelTrainer,
the way the command line does it: checkpoints, early stopping on validation, a run resumed
from a checkpoint (a new model loads it and the trainer continues the count from there),
and a run stopped and resumed that equals the uninterrupted one."""

import os

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.datasets import make_planted_ctr, make_planted_implicit
from openrec2.datasets.data_split import build_data_split
from openrec2.datasets.knowledge_graph import KnowledgeGraph
from openrec2.datasets.sequences import sequences_from_split
from openrec2.experiments.experiment import (ExperimentData, ExperimentSettings, evaluation_plan, model_keywords,
                                         training_samplers)
from openrec2.experiments.model_registry import get_model_spec
from openrec2.utils.dataset import make_interactions


def planted(**extra):
    return make_planted_implicit(num_users=120, num_items=80, rank=3, per_user=12, seed=7, **extra)


def interaction_data(with_features=False):
    split = planted()
    if with_features:
        split.item_features = split.metadata['item_factors']
        split.user_features = split.metadata['user_factors']
    return ExperimentData('synthetic', split)


def featured():
    return interaction_data(True)


def kg_data():
    split = planted()
    factors = split.metadata['item_factors']
    topics = 80 + np.abs(factors).argmax(1)  # entity 80 + r: the item's strongest planted factor
    items = np.arange(80)
    graph = KnowledgeGraph('planted', np.concatenate([items, topics]), np.repeat([0, 1], 80),
                           np.concatenate([topics, items]), 83, 2, items.copy())
    kg_train, kg_test = graph.split(0.1, seed=0)
    return ExperimentData('synthetic', split, graph=graph, kg_train=kg_train, kg_test=kg_test)


def sequence_data():
    split = planted()
    parts = [split.train.data, split.validation.data, split.test.data]
    data = np.concatenate([make_interactions(p['user_id'], p['item_id']) for p in parts])
    stamped = make_interactions(data['user_id'], data['item_id'],
                                timestamp=np.random.default_rng(0).permutation(len(data)))
    sequences = sequences_from_split(build_data_split('planted', stamped, 120, 80, 'leave_one_out',
                                                      (0.8, 0.1, 0.1), 0))
    return ExperimentData('planted', None, sequences=sequences)


def ctr_data():
    return ExperimentData('synthetic', None, ctr=make_planted_ctr(num_users=60, num_items=40, num_examples=2000))


def next_item_data():
    from tests.recommenders.planted import planted_histories
    sequences = planted_histories(num_users=60, per_user=8)[0]
    return ExperimentData('planted', None, sequences=sequences)


_YOUTUBE = dict(dim=8, model_settings=dict(max_seq_len=5, softmax_samples=10))

CASES = {
    'BPR': (interaction_data, {}), 'PMF': (interaction_data, {}),
    'VBPR': (lambda: interaction_data(True), dict(epochs=6)),
    'AMR': (lambda: interaction_data(True), dict(epochs=6, model_settings=dict(adversarial_epochs=5))),
    'ConvNCF': (interaction_data, dict(dim=16, model_settings=dict(cnn_channels=[1, 8, 8], cnn_kernels=[4, 4],
                                                                   cnn_strides=[4, 4]))),
    'KTUP': (kg_data, dict(dim=16, lr=0.01, model_settings=dict(train_rec_step=1, train_kg_step=1))),
    'DIEN': (sequence_data, dict(dim=8, model_settings=dict(max_seq_length=6, mlp_hidden_size=[16],
                                                            attention_mlp_size=[8]))),
    'DLRM': (ctr_data, dict(dim=8, model_settings=dict(ln_top=[16]))),
    'RNNRec': (sequence_data, dict(dim=8, model_settings=dict(max_seq_len=5, num_units=8, softmax_samples=10))),
    'GMF': (interaction_data, {}), 'NBPR': (interaction_data, {}), 'CML': (interaction_data, {}),
    'WCML': (interaction_data, {}), 'UCML': (interaction_data, {}),
    'ItrMLP': (interaction_data, dict(dim=8, model_settings=dict(identity_steps=20))),
    'VisualPMF': (featured, dict(dim=8)), 'VisualGMF': (featured, dict(dim=8)), 'VisualBPR': (featured, dict(dim=8)),
    'ConcatVisualBPR': (featured, dict(dim=8)), 'VisualCML': (featured, dict(dim=8)), 'CDL': (featured, dict(dim=8)),
    'UserPMF': (featured, dict(dim=8)), 'UserVisualPMF': (featured, dict(dim=8)),
    'VanillaYouTubeRec': (next_item_data, _YOUTUBE), 'YouTubeRec': (next_item_data, _YOUTUBE),
    'WRMF': (interaction_data, {}),
}


def pretrained(spec, data, settings, folder):
    """Keywords that start the model from its pretraining model (a short fit), as the command line does."""
    base = get_model_spec(spec.pretrain)
    base_settings = ExperimentSettings(epochs=4, batch_size=64, lr=0.01, dim=settings.dim, verbose=False)
    with base.recommender_class()(**model_keywords(base, data, base_settings.resolved(base))) as model:
        model.fit(data.split.train, epochs=10, verbose=False)
        path = model.save(folder)
    return spec.recommender_class().pretrained_keywords(path, data.split.max_user, data.split.max_item, settings.dim)


def without_pretraining(spec, data, settings):
    """Keywords of a model that needs pretraining, started without it (random embeddings)."""
    if spec.name == 'ConvNCF':
        return dict(train_method='no_pretrain')
    rng = np.random.default_rng(0)
    return {f'pretrained_{side}_embeddings': rng.normal(0, 0.1, (rows, settings.dim)).astype(np.float32)
            for side, rows in (('user', data.split.max_user), ('item', data.split.max_item))}


@pytest.mark.parametrize('name', list(CASES))
def test_trains_with_checkpoints_early_stopping_and_resumes(name, tmp_path):
    make_data, options = CASES[name]
    spec, data = get_model_spec(name), make_data()
    settings = ExperimentSettings(**{'epochs': 4, 'batch_size': 64, 'eval_every': 1, 'patience': 2, 'lr': 0.01,
                                     **options, 'verbose': False}).resolved(spec)
    keywords = model_keywords(spec, data, settings)
    if spec.pretrain:  # ConvNCF starts from a trained BPR, ItrMLP from PMF, as the command line does it
        keywords.update(pretrained(spec, data, settings, str(tmp_path / 'pretrain')))
    plan, evaluators = evaluation_plan(spec, data, settings, final=False)
    metric = 'AUC' if spec.data in ('sequences', 'ctr') else 'NDCG@10'
    save_dir = str(tmp_path / 'run')
    with spec.recommender_class()(**keywords) as model:
        sampler, per_epoch = training_samplers(spec, data, settings, model)
        first = ModelTrainer(model, save_dir=save_dir, early_stop_metric=metric, patience=2, verbose=False).train(
            2 * per_epoch, per_epoch, per_epoch, sampler, eval_samplers=plan, evaluators=evaluators)
        scores = _scores(model, plan)
    assert len(first.checkpoints) == 2 and os.path.exists(first.checkpoints[-1] + '.index')
    # AMR's early stopping watches its adversarial phase only (iterations after one BPR epoch).
    watched = [e for e in first.evaluations if e['split'] == 'validation' and not e['collapsed']
               and (name != 'AMR' or e['iteration'] > per_epoch)]
    assert first.best_checkpoint is not None and first.best_value == max(e['metrics'][metric] for e in watched)
    with spec.recommender_class()(**keywords) as resumed:
        resumed.load(first.checkpoints[-1])
        steps = resumed.global_step
        # The first run's samplers go on where they were: the stream continues.
        second = ModelTrainer(resumed, save_dir=save_dir, verbose=False).train(
            3 * per_epoch, per_epoch, None, sampler, start_iter=2 * per_epoch, eval_samplers=plan,
            evaluators=evaluators)
        assert second.start_iter == 2 * per_epoch and second.iterations_run == per_epoch
        assert resumed.global_step == steps + per_epoch
        assert np.isfinite(second.losses[-1]['loss'])
    for one in (sampler.values() if isinstance(sampler, dict) else [sampler]):
        one.close()
    assert scores is not None


def _scores(model, plan):
    """The model serves its validation split after training (the best state restored)."""
    from openrec2.trainer.evaluations import evaluate_split
    results = evaluate_split(model, plan['validation'])
    assert not results.collapsed
    return results


def _run(spec, data, settings, keywords, save_dir, total_epochs, resume=False):
    plan, evaluators = evaluation_plan(spec, data, settings, final=False)
    metric = 'AUC' if spec.data in ('sequences', 'ctr') else 'NDCG@10'
    with spec.recommender_class()(**keywords) as model:
        sampler, per_epoch = training_samplers(spec, data, settings, model)
        try:
            history = ModelTrainer(model, save_dir=save_dir, early_stop_metric=metric, patience=3,
                                   verbose=False).train(total_epochs * per_epoch, per_epoch, per_epoch, sampler,
                                                        eval_samplers=plan, evaluators=evaluators, resume=resume)
            scores = _scores(model, plan)
        finally:
            for one in (sampler.values() if isinstance(sampler, dict) else [sampler]):
                one.close()
    timings = ('train_seconds', 'eval_seconds', 'seconds_per_epoch')
    kept = {key: value for key, value in history.to_dict().items() if key not in timings}
    kept['evaluations'] = [{k: v for k, v in row.items() if k != 'seconds'} for row in kept['evaluations']]
    kept['checkpoints'] = [os.path.basename(path) for path in kept['checkpoints']]
    kept['best_checkpoint'] = kept['best_checkpoint'] and os.path.basename(kept['best_checkpoint'])
    return kept, dict(scores)


@pytest.mark.parametrize('name', list(CASES))
def test_a_run_stopped_and_resumed_equals_the_uninterrupted_run(name, tmp_path):
    make_data, options = CASES[name]
    spec, data = get_model_spec(name), make_data()
    settings = ExperimentSettings(**{'epochs': 4, 'batch_size': 64, 'eval_every': 1, 'lr': 0.01, **options,
                                     'verbose': False}).resolved(spec)
    keywords = model_keywords(spec, data, settings)
    keywords.update(without_pretraining(spec, data, settings) if spec.pretrain else {})
    reference = _run(spec, data, settings, keywords, str(tmp_path / 'straight'), 3)
    _run(spec, data, settings, keywords, str(tmp_path / 'stopped'), 2)  # a run that ends (or dies) after 2 epochs
    resumed = _run(spec, data, settings, keywords, str(tmp_path / 'stopped'), 3, resume=True)
    assert resumed == reference
