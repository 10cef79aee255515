"""Each built-in model (the seven of the papers and the legacy zoo) trains through ModelTrainer,
the way the command line does it: checkpoints, early stopping on validation, a run resumed
from a checkpoint (a new model loads it and the trainer continues the count from there),
and a run stopped and resumed that equals the uninterrupted one."""

import os

import numpy as np
import pytest

from openrec2 import ModelTrainer
from openrec2.experiments.experiment import ExperimentSettings, evaluation_plan, model_keywords, training_samplers
from openrec2.experiments.model_registry import get_model_spec

from model_cases import CASES, without_pretraining


def pretrained(spec, data, settings, folder):
    """Keywords that start the model from its pretraining model (a short fit), as the command line does."""
    base = get_model_spec(spec.pretrain)
    base_settings = ExperimentSettings(epochs=4, batch_size=64, lr=0.01, dim=settings.dim, verbose=False)
    with base.recommender_class()(**model_keywords(base, data, base_settings.resolved(base))) as model:
        model.fit(data.split.train, epochs=10, verbose=False)
        path = model.save(folder)
    return spec.recommender_class().pretrained_keywords(path, data.split.max_user, data.split.max_item, settings.dim)


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
