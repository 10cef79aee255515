"""Tests of the evaluation samplers over precomputed example rows (labelled and candidates)."""

import numpy as np
import pytest

from openrec2.errors import MissingInputError, ShapeError
from openrec2.utils.evaluators import AUC, NDCG, HitRatio, LogLoss, evaluate_labelled, evaluate_sampled, \
    evaluate_with_scorer
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.samplers import CandidateEvaluationSampler, LabelledEvaluationSampler


def test_labelled_rows_are_batched_without_labels_and_evaluated():
    examples = {'item_id': np.arange(10), 'label': np.array([1, 0] * 5, np.float32)}
    sampler = LabelledEvaluationSampler(examples, batch_size=4, name='test')
    batches = list(sampler)
    assert [sorted(b) for b in batches] == [['item_id']] * 3 and len(sampler) == 3
    predict = lambda batch: 1.0 / (1.0 + batch['item_id'])  # noqa: E731
    results = evaluate_with_scorer(predict, sampler)
    expected = evaluate_labelled(predict(examples), examples['label'], [AUC(), LogLoss()])
    assert dict(results) == pytest.approx(dict(expected)) and not results.collapsed
    constant = evaluate_with_scorer(lambda batch: np.full(len(batch['item_id']), 0.5), sampler)
    assert constant.collapsed and constant['AUC'] == 0.5
    with pytest.raises(MissingInputError, match="no 'label' array"):
        LabelledEvaluationSampler({'item_id': np.arange(3)})
    with pytest.raises(ShapeError, match='same number of rows'):
        LabelledEvaluationSampler({'item_id': np.arange(3), 'label': np.ones(2)})


def test_candidate_rows_follow_the_candidate_lists():
    candidates = ItemLists.from_lists([[0, 2, 5], [], [1, 3]], num_items=6)
    positives = ItemLists.from_lists([[2], [], [3]], num_items=6)
    examples = {'user_id': candidates.row_ids, 'item_id': candidates.indices, 'item_seq': np.ones((5, 2)),
                'label': np.zeros(5)}
    sampler = CandidateEvaluationSampler(examples, candidates, positives, batch_size=2)
    assert sampler.sampled and sorted(next(iter(sampler))) == ['item_id', 'item_seq', 'user_id']
    score = lambda batch: -np.abs(batch['item_id'] - 2.6)  # noqa: E731  prefers items near 2.6
    results = evaluate_with_scorer(score, sampler, [HitRatio(1), NDCG(2)])
    flat = score(examples)
    assert dict(results) == pytest.approx(dict(evaluate_sampled(flat, candidates, positives, [HitRatio(1), NDCG(2)])))
    assert results['Hit@1'] == 1.0 and results.score_spread == pytest.approx(2.0)
    swapped = dict(examples, item_id=candidates.indices[::-1])
    with pytest.raises(ShapeError, match='must list candidate_items user by user'):
        CandidateEvaluationSampler(swapped, candidates, positives)
