"""Tests of early stopping."""

import math

import pytest

from openrec2.errors import UnknownOptionError
from openrec2.trainer.early_stopping import EarlyStopping, lower_is_better


def test_direction_is_inferred_from_the_name():
    assert lower_is_better('loss') and lower_is_better('LogLoss') and lower_is_better('RMSE')
    assert not lower_is_better('NDCG@10') and not lower_is_better('AUC')


def test_patience_counts_evaluations_without_improvement():
    stopper = EarlyStopping('NDCG@10', patience=2)
    assert stopper.update(0.1, 10) and stopper.update(0.2, 20)
    assert not stopper.update(0.2, 30) and not stopper.should_stop  # equal is no improvement
    assert not stopper.update(math.nan, 40) and stopper.should_stop
    assert (stopper.best_value, stopper.best_iteration) == (0.2, 20)


def test_lower_is_better_and_min_delta():
    stopper = EarlyStopping('loss', patience=1, min_delta=0.5)
    assert stopper.update(10.0, 1) and not stopper.update(9.8, 2) and stopper.should_stop
    stopper = EarlyStopping('loss', patience=3, higher_is_better=True)
    assert stopper.update(1.0, 1) and stopper.update(2.0, 2)


def test_bad_patience():
    with pytest.raises(UnknownOptionError, match='`patience` must be an integer >= 1'):
        EarlyStopping('AUC', patience=0)
    with pytest.raises(UnknownOptionError, match='`min_delta` must be a finite number >= 0'):
        EarlyStopping('AUC', min_delta=-1)
