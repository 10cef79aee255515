"""Tests of the logistic-regression baseline of CTR models."""

import numpy as np
import pytest

from openrec2.datasets import make_planted_ctr
from openrec2.errors import DataError, SettingError
from openrec2.trainer import LogisticRegressionBaseline
from openrec2.utils import CTRExamples
from openrec2.utils.evaluators import AUC, evaluate_labelled


def linear_rows(name, count, seed):
    """Clicks driven by an item bias and a dense feature: what a linear model can fit."""
    rng = np.random.default_rng(seed)
    items, dense = rng.integers(20, size=count), rng.normal(size=(count, 1))
    logits = 2.0 * (items % 2 - 0.5) * 2 + 1.5 * dense[:, 0]
    labels = (rng.random(count) < 1 / (1 + np.exp(-logits))).astype(np.float32)
    return CTRExamples(name, np.zeros(count, int), items, labels, dense, items[:, None], [20], 1, 20)


def auc(baseline, rows):
    return evaluate_labelled(baseline.predict(rows.inputs()), rows.label, [AUC()])['AUC']


def test_fits_a_linear_problem_and_picks_its_settings_on_validation():
    train, validation, test = (linear_rows(f'lin/{n}', 3000, s) for n, s in (('train', 0), ('validation', 1),
                                                                                ('test', 2)))
    baseline = LogisticRegressionBaseline(train, validation, l2_grid=(0.0, 0.1))
    oracle = evaluate_labelled(2.0 * (test.item_id % 2 - 0.5) * 2 + 1.5 * test.dense[:, 0], test.label,
                               [AUC()])['AUC']
    assert auc(baseline, test) > oracle - 0.01
    assert baseline.l2 == 0.0 and baseline.validation_auc > 0.8  # heavy L2 would shrink the true weights
    probabilities = baseline.scorer()(test.inputs())
    assert ((probabilities > 0) & (probabilities < 1)).all()


def test_stays_near_chance_on_a_pure_interaction():
    split = make_planted_ctr()
    assert auc(LogisticRegressionBaseline(split.train, split.validation), split.test) < 0.65


def test_errors():
    train = linear_rows('lin/train', 50, 0)
    with pytest.raises(SettingError, match='epochs'):
        LogisticRegressionBaseline(train, epochs=0)
    with pytest.raises(SettingError, match='l2_grid'):
        LogisticRegressionBaseline(train, l2_grid=[-1.0])
    other = CTRExamples('x', [0], [0], [1], [[0.0, 0.0]], [[0]], [20], 1, 20)
    with pytest.raises(DataError, match='training columns'):
        LogisticRegressionBaseline(train, other)
