"""Tests of what the trainer evaluates on a split: samplers, evaluation objects, merged lists,
split names, and collapsed scores (warned, flagged, never an improvement)."""

import io

import pytest

from openrec2 import ModelTrainer
from openrec2.datasets import make_planted_implicit
from openrec2.errors import UnknownOptionError
from openrec2.recommenders import BPR
from openrec2.trainer.evaluations import Evaluation, as_evaluations, evaluate_split, name_eval_samplers
from openrec2.utils.evaluators import AUC, NDCG, MetricResults, Recall
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler


@pytest.fixture(scope='module')
def split():
    return make_planted_implicit(num_users=100, num_items=60, rank=3, per_user=10, seed=5)


def test_splits_are_named_after_their_datasets(split):
    validation = EvaluationSampler(split.validation, 32, [split.train])
    named = name_eval_samplers([validation, validation, [Evaluation(validation, name='custom')]])
    assert list(named) == ['validation', 'validation_2', 'custom']
    assert isinstance(as_evaluations(validation)[0], Evaluation)


def test_a_list_merges_its_parts_and_refuses_clashing_keys(split):
    with BPR(batch_size=32, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model:
        validation = EvaluationSampler(split.validation, 32, [split.train])
        sampled = EvaluationSampler(split.validation, 32, [split.train], num_negatives=10, seed=0)
        merged = evaluate_split(model, [Evaluation(validation, [Recall(5)]), Evaluation(sampled, [NDCG(5)])])
        assert list(merged) == ['Recall@5', 'NDCG@5'] and merged.num_evaluated == validation.users.size
        with pytest.raises(UnknownOptionError, match=r"both produce \['AUC'\]"):
            evaluate_split(model, [validation, sampled], [AUC()])


class _Constant:
    """An evaluation whose scores collapsed after ``after`` evaluations."""

    def __init__(self, after):
        self.calls, self.after = 0, after

    def evaluate(self, model, evaluators=None):
        self.calls += 1
        results = MetricResults({'NDCG@10': 0.1 * self.calls}, 10)
        return results.with_spread(0.0 if self.calls > self.after else 1.0, 1.0)


def test_collapsed_evaluations_are_warned_flagged_and_never_best(split):
    log = io.StringIO()
    with BPR(batch_size=32, max_user=split.max_user, max_item=split.max_item, dim_embed=4, seed=0) as model, \
            PairwiseSampler(split.train, 32, seed=0) as sampler:
        history = ModelTrainer(model, early_stop_metric='NDCG@10', patience=5, log_stream=log).train(
            40, 10, None, sampler, eval_samplers={'validation': _Constant(after=2)})
    assert [e['collapsed'] for e in history.evaluations] == [False, False, True, True]
    # The metric keeps rising, but collapsed evaluations never count: the best is the second.
    assert history.best_iteration == 20 and history.best_value == pytest.approx(0.2)
    assert log.getvalue().count('the same for every item') == 2 and 'not the model' in log.getvalue()
