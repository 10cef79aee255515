"""Tests of MSE, RMSE and LogLoss."""

import math

import numpy as np
import pytest

from openrec2.errors import DataError
from openrec2.utils.evaluators import MSE, RMSE, LogLoss


def test_mse_rmse():
    predictions, labels = np.array([1.0, 2.0, 4.0]), np.array([1.0, 3.0, 2.0])
    assert MSE().labelled_values(predictions, labels) == {'MSE': pytest.approx(5 / 3)}
    assert RMSE().labelled_values(predictions, labels) == {'RMSE': pytest.approx(math.sqrt(5 / 3))}


def test_logloss_clips_certain_mistakes():
    value = LogLoss().labelled_values(np.array([0.0, 0.8]), np.array([1.0, 1.0]))['LogLoss']
    assert value == pytest.approx((-math.log(1e-7) - math.log(0.8)) / 2)


def test_logloss_errors():
    with pytest.raises(DataError, match='apply a sigmoid|Apply a sigmoid'):
        LogLoss().labelled_values(np.array([2.0]), np.array([1.0]))
    with pytest.raises(DataError, match='0/1 labels'):
        LogLoss().labelled_values(np.array([0.5]), np.array([3.0]))
