"""Tests of ModelTrainer and ImplicitModelTrainer on a small planted problem."""

import glob
import io
import os

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2 import ImplicitModelTrainer, ModelTrainer
from openrec2.datasets import make_planted_implicit
from openrec2.errors import MissingInputError, NaNLossError, UnknownOptionError
from openrec2.recommenders import BPR, PMF, Recommender
from openrec2.utils import ImplicitDataset
from openrec2.utils.dataset import make_interactions
from openrec2.utils.evaluators import AUC, NDCG, Recall
from openrec2.utils.samplers import EvaluationSampler, ExplicitSampler, PairwiseSampler, PointwiseSampler


@pytest.fixture(scope='module')
def split():
    return make_planted_implicit(num_users=120, num_items=80, rank=3, per_user=12, seed=3)


def bpr(split, lr=0.02, seed=0):
    return BPR(batch_size=128, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=lr, seed=seed)


def validation_sampler(split):
    return EvaluationSampler(split.validation, 64, excluded_datasets=[split.train])


def quiet(model, **kwargs):
    return ModelTrainer(model, verbose=False, progress=False, **kwargs)


def test_history_records_loss_windows_and_evaluations(split):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        history = quiet(model).train(total_iter=100, eval_iter=25, save_iter=None, train_sampler=sampler,
                                     eval_samplers=[validation_sampler(split)], evaluators=[AUC(), Recall(10)])
    assert [row['iteration'] for row in history.losses] == [25, 50, 75, 100]
    assert all(row['objective'] == 'default' and row['num_iters'] == 25 for row in history.losses)
    iterations, losses = history.loss_curve()
    assert iterations == [25, 50, 75, 100] and losses[-1] < losses[0]
    assert history.splits == ['validation']  # named after the dataset ('synthetic/validation')
    iterations, auc = history.metric('AUC')
    assert iterations == [25, 50, 75, 100] and auc[-1] > auc[0]
    assert set(history.last_metrics()) == {'AUC', 'Recall@10'}
    assert history.batches_per_epoch == sampler.batches_per_epoch
    assert history.evaluations[0]['epoch'] == pytest.approx(25 / sampler.batches_per_epoch)
    assert (history.start_iter, history.end_iter, history.iterations_run) == (0, 100, 100)
    assert history.seconds_per_epoch > 0 and not history.stopped_early
    with pytest.raises(UnknownOptionError, match="no metric 'NDCG@10'"):
        history.metric('NDCG@10')


def test_checkpoints_are_written_every_save_iter_and_load(split, tmp_path):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        history = quiet(model, save_dir=str(tmp_path)).train(total_iter=40, eval_iter=20, save_iter=10,
                                                             train_sampler=sampler)
        scores = model.serve_all_items(np.arange(10))
    steps = sorted(int(path.rsplit('-', 1)[1].split('.')[0]) for path in glob.glob(str(tmp_path / 'model.ckpt-*.index')))
    assert steps == [10, 20, 30, 40]
    assert history.checkpoints == [str(tmp_path / f'model.ckpt-{step}') for step in (10, 20, 30, 40)]
    with bpr(split) as restored:
        restored.load(str(tmp_path))
        assert restored.global_step == 40
        np.testing.assert_allclose(restored.serve_all_items(np.arange(10)), scores, rtol=1e-6)


def test_start_iter_continues_the_count(split, tmp_path):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        history = quiet(model, save_dir=str(tmp_path)).train(total_iter=30, eval_iter=10, save_iter=10,
                                                             train_sampler=sampler, start_iter=20)
    assert history.iterations_run == 10 and [row['iteration'] for row in history.losses] == [30]
    assert history.checkpoints == [str(tmp_path / 'model.ckpt-30')]


def test_best_checkpoints_never_push_periodic_ones_out(split, tmp_path):
    # Higher Recall is better and BPR learns, so the best model is saved at most of the
    # twelve evaluations; the saver keeps five checkpoints, which must all be periodic.
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        history = quiet(model, save_dir=str(tmp_path), early_stop_metric='Recall@10', patience=20).train(
            total_iter=120, eval_iter=10, save_iter=10, train_sampler=sampler,
            eval_samplers={'validation': validation_sampler(split)}, evaluators=[Recall(10)])
    periodic = sorted(int(path.rsplit('-', 1)[1].split('.')[0])
                      for path in glob.glob(str(tmp_path / 'model.ckpt-*.index')))
    assert periodic == [80, 90, 100, 110, 120]
    assert [os.path.basename(path) for path in glob.glob(str(tmp_path / 'best' / '*.index'))] == [
        f'best-{history.best_iteration}.index']


def test_early_stopping_restores_the_best_checkpoint(split, tmp_path):
    validation = validation_sampler(split)
    evaluators = [Recall(10), NDCG(10)]
    # Recall@10 with "lower is better" makes a learning model get worse after its first
    # evaluations, so training stops early and must roll back to an earlier state.
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        trainer = quiet(model, save_dir=str(tmp_path), early_stop_metric='Recall@10', patience=2,
                        higher_is_better=False)
        history = trainer.train(total_iter=400, eval_iter=10, save_iter=None, train_sampler=sampler,
                                eval_samplers={'validation': validation}, evaluators=evaluators)
        final = trainer.evaluate({'validation': validation}, evaluators)['validation']
        scores = model.serve_all_items(np.arange(split.max_user))
    assert history.stopped_early and history.end_iter < 400
    assert history.best_iteration < history.end_iter
    recorded = [e['metrics'] for e in history.evaluations if e['iteration'] == history.best_iteration][0]
    assert recorded['Recall@10'] == history.best_value == min(history.metric('Recall@10')[1])
    assert final == pytest.approx(recorded, abs=1e-12)
    assert history.best_checkpoint == str(tmp_path / 'best' / f'best-{history.best_iteration}')
    with bpr(split) as best:
        best.load(history.best_checkpoint)
        np.testing.assert_allclose(best.serve_all_items(np.arange(split.max_user)), scores, rtol=1e-6)


def test_early_stopping_on_training_loss_without_save_dir(split):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        history = quiet(model, early_stop_metric='loss', patience=1, higher_is_better=True).train(
            total_iter=200, eval_iter=20, save_iter=None, train_sampler=sampler)
    # The loss falls from the first window on, so the first window stays the "best".
    assert history.stopped_early and history.best_iteration == 20 and history.end_iter == 40
    assert history.best_checkpoint is None  # the temporary folder is removed after the run


class NaNAfter:
    """A pointwise sampler whose labels become float32's largest value from batch ``bad`` (0-based) on: finite
    inputs (a NaN label is refused as data) whose squared error and gradient overflow to inf,
    so the update leaves non-finite parameters."""

    def __init__(self, sampler, bad):
        self.sampler, self.bad, self.count = sampler, bad, 0

    def next_batch(self):
        batch = dict(self.sampler.next_batch())
        if self.count >= self.bad:
            batch['label'] = np.full_like(batch['label'], np.finfo(np.float32).max)
        self.count += 1
        return batch


def test_nan_loss_stops_and_keeps_the_last_good_checkpoint(split, tmp_path):
    model = PMF(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4, lr=0.01, seed=0)
    with model, PointwiseSampler(split.train, 64, seed=0) as sampler:
        trainer = quiet(model, save_dir=str(tmp_path))
        with pytest.raises(NaNLossError, match=r"'default' is (nan|inf) at iteration 7;.*last good checkpoint is "
                                               + str(tmp_path / 'model.ckpt-6').replace('.', r'\.')):
            trainer.train(total_iter=20, eval_iter=10, save_iter=2, train_sampler=NaNAfter(sampler, 6))
        assert not trainer.parameters_finite()  # the diverged state is in the session ...
    assert not glob.glob(str(tmp_path / 'model.ckpt-8*'))  # ... but was never saved
    with PMF(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=1) as restored:
        restored.load(str(tmp_path / 'model.ckpt-6'))
        assert restored.global_step == 6
        assert ModelTrainer(restored).parameters_finite()
        assert np.isfinite(restored.serve_all_items(np.arange(5))).all()


def test_nan_loss_without_checkpoint_says_so(split):
    model = PMF(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0)
    with model, PointwiseSampler(split.train, 64, seed=0) as sampler:
        with pytest.raises(NaNLossError, match='at iteration 1;.*no checkpoint was written'):
            quiet(model).train(total_iter=5, eval_iter=5, save_iter=None, train_sampler=NaNAfter(sampler, 0))


class TwoObjectives(Recommender):
    """A tiny model with objectives 'a' (pull w towards a_value) and 'b' (towards -b_value)."""

    def _build_extra_inputs(self, train=True):
        if train:
            self._add_input('a_value', 'float32', [None])
            self._add_input('b_value', 'float32', [None])
        else:
            self._add_input('user_id', 'int32', [None], train=False, max_value=self.max_user)

    def _build_default_interactions(self, train=True):
        w = tf.get_variable('w', shape=[self.max_item], initializer=tf.zeros_initializer())
        if train:
            self._add_loss(tf.reduce_sum(tf.square(w - tf.reduce_mean(self._get_input('a_value')))), 'a')
            self._add_loss(tf.reduce_sum(tf.square(w + tf.reduce_mean(self._get_input('b_value')))), 'b')
        else:
            users = self._get_input('user_id', False)
            self._set_serving_output(tf.tile(w[None], [tf.size(users), 1]), ['user_id'])


class Recording:
    """Constant batches for one objective, logging every request in a shared list."""

    def __init__(self, name, log):
        self.name, self.log = name, log

    def next_batch(self):
        self.log.append(self.name)
        return {f'{self.name}_value': np.ones(4, np.float32)}


def test_schedule_alternates_objectives():
    log = []
    with TwoObjectives(batch_size=4, max_user=3, max_item=5, lr=0.1) as model:
        assert sorted(model.objectives) == ['a', 'b']
        history = quiet(model).train(total_iter=9, eval_iter=3, save_iter=None,
                                     train_sampler={'a': Recording('a', log), 'b': Recording('b', log)},
                                     objective_schedule=[('a', 2), ('b', 1)])
        assert log == ['a', 'a', 'b'] * 3
        assert [(row['iteration'], row['objective'], row['num_iters']) for row in history.losses] == [
            (3, 'a', 2), (3, 'b', 1), (6, 'a', 2), (6, 'b', 1), (9, 'a', 2), (9, 'b', 1)]
        assert history.loss_curve('b')[0] == [3, 6, 9]
        # A dict without a schedule trains each objective one step in turn.
        log.clear()
        quiet(model).train(total_iter=4, eval_iter=None, save_iter=None,
                           train_sampler={'b': Recording('b', log), 'a': Recording('a', log)})
        assert log == ['b', 'a', 'b', 'a']


def test_schedule_errors():
    with TwoObjectives(batch_size=4, max_user=3, max_item=5) as model:
        samplers = {'a': Recording('a', []), 'b': Recording('b', [])}
        with pytest.raises(UnknownOptionError, match=r"names objective 'c'; the model has \['a', 'b'\]"):
            quiet(model).train(4, 2, None, samplers, objective_schedule=[('a', 1), ('c', 1)])
        with pytest.raises(MissingInputError, match=r"trains \['b'\] but train_sampler has samplers only for"):
            quiet(model).train(4, 2, None, {'a': samplers['a']}, objective_schedule=[('a', 1), ('b', 1)])
        with pytest.raises(UnknownOptionError, match='`num_iters` must be an integer >= 1'):
            quiet(model).train(4, 2, None, samplers, objective_schedule=[('a', 0)])


def test_bad_arguments_are_rejected(split):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        with pytest.raises(UnknownOptionError, match='start_iter .30. is after total_iter .20.'):
            quiet(model).train(20, 10, None, sampler, start_iter=30)
        with pytest.raises(UnknownOptionError, match='`eval_iter` must be an integer >= 0 or None'):
            quiet(model).train(20, -1, None, sampler)
        with pytest.raises(UnknownOptionError, match='needs eval_samplers'):
            quiet(model, early_stop_metric='NDCG@10').train(20, 10, None, sampler)
        with pytest.raises(UnknownOptionError, match="early_stop_metric 'NDCG@10' is not computed"):
            quiet(model, early_stop_metric='NDCG@10').train(20, 10, None, sampler,
                                                            eval_samplers=[validation_sampler(split)],
                                                            evaluators=[AUC()])
        with pytest.raises(UnknownOptionError, match='`patience` must be an integer >= 1'):
            ModelTrainer(model, early_stop_metric='AUC', patience=0)


def test_finite_sampler_ends_the_run(split):
    users, items = split.train.positive_pairs()
    ratings = ImplicitDataset(make_interactions(users, items, label=np.ones(users.size)), split.max_user,
                              split.max_item)
    with PMF(batch_size=512, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model, \
            ExplicitSampler(ratings, 512) as sampler:
        history = quiet(model).train(total_iter=100, eval_iter=50, save_iter=None, train_sampler=sampler)
    expected = -(-users.size // 512)
    assert history.end_iter == expected and [row['iteration'] for row in history.losses] == [expected]


def test_logs_and_forced_progress_bar(split):
    log, bar = io.StringIO(), io.StringIO()
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        ModelTrainer(model, progress=True, log_stream=log, progress_stream=bar).train(
            20, 10, None, sampler, eval_samplers=[validation_sampler(split)], evaluators=[Recall(5)])
    assert 'training BPR from iteration 0 to 20' in log.getvalue()
    assert 'validation:' in log.getvalue() and 'Recall@5' in log.getvalue()
    assert '\r[' in bar.getvalue() and '20/20' in bar.getvalue()


def test_legacy_implicit_model_trainer(split):
    with bpr(split) as model, PairwiseSampler(split.train, 128, seed=0) as sampler:
        trainer = ImplicitModelTrainer(batch_size=128, test_batch_size=50, train_dataset=split.train, model=model,
                                       sampler=sampler, verbose=False, progress=False)
        history = trainer.train(num_itr=60, display_itr=30, eval_datasets=[split.validation, split.test],
                                evaluators=[AUC(), Recall(5)])
        sampled = trainer.train(num_itr=10, display_itr=10, eval_datasets=[split.test], evaluators=[AUC()],
                                num_negatives=20, seed=10)
    assert history.splits == ['validation', 'test']
    assert history.metric('AUC', 'test')[0] == [30, 60]
    assert history.last_metrics('test')['AUC'] > 0.6
    assert sampled.splits == ['test'] and 0.0 <= sampled.last_metrics()['AUC'] <= 1.0


def test_a_legacy_custom_evaluator_runs_unchanged_through_the_implicit_model_trainer():
    from openrec2.utils.evaluators import AUC, Evaluator
    from openrec2.utils.samplers import PairwiseSampler

    class LegacyAUC(Evaluator):  # as legacy OpenRec's utils/evaluators/auc.py is written
        def __init__(self, name='LegacyAUC'):
            super(LegacyAUC, self).__init__(etype='rank', name=name)

        def compute(self, rank_above, negative_num):
            return np.mean((negative_num - rank_above) / negative_num)

    split = make_planted_implicit(num_users=120, num_items=90, rank=4, per_user=15, seed=2)
    model = BPR(batch_size=64, max_user=split.max_user, max_item=split.max_item, dim_embed=8, seed=0)
    sampler = PairwiseSampler(batch_size=64, dataset=split.train, num_process=1)
    with model, sampler:
        trainer = ImplicitModelTrainer(batch_size=64, test_batch_size=40, train_dataset=split.train, model=model,
                                       sampler=sampler, verbose=False)
        history = trainer.train(num_itr=600, display_itr=300, eval_datasets=[split.validation],
                                evaluators=[LegacyAUC(), AUC()])
        sampled = trainer.train(num_itr=1, display_itr=1, eval_datasets=[split.validation],
                                evaluators=[LegacyAUC(name='sampled')], num_negatives=20)
    metrics = history.last_metrics()
    assert metrics['LegacyAUC'] > 0.7
    assert abs(metrics['LegacyAUC'] - metrics['AUC']) < 0.01  # the same ranking (ties aside)
    assert 0.5 < sampled.last_metrics()['sampled'] <= 1.0
