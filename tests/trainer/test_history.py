"""Tests of the training history."""

import json

import pytest

from openrec2.errors import UnknownOptionError
from openrec2.trainer.history import TrainingHistory


def make_history():
    history = TrainingHistory(start_iter=0, batches_per_epoch=10)
    history.add_loss(20, 'rec', 0.5, 15)
    history.add_loss(20, 'kg', 0.9, 5)
    history.add_evaluation(20, 'validation', {'AUC': 0.8}, 0.5)
    history.add_evaluation(20, 'test', {'AUC': 0.7}, 0.25)
    history.add_loss(40, 'rec', 0.4, 15)
    history.add_evaluation(40, 'validation', {'AUC': 0.9}, 1.5)
    history.end_iter, history.train_seconds = 40, 8.0
    return history


def test_curves_and_timings():
    history = make_history()
    assert history.loss_curve() == ([20, 40], [0.5, 0.4])
    assert history.loss_curve('kg') == ([20], [0.9])
    assert history.metric('AUC') == ([20, 40], [0.8, 0.9])
    assert history.metric('AUC', 'test') == ([20], [0.7])
    assert history.last_metrics('validation') == {'AUC': 0.9}
    assert history.evaluations[-1]['epoch'] == 4.0
    assert history.seconds_per_epoch == pytest.approx(2.0)
    assert history.seconds_per_evaluation == pytest.approx(0.75)
    assert json.loads(json.dumps(history.to_dict()))['end_iter'] == 40


def test_unknown_split_or_metric():
    history = make_history()
    with pytest.raises(UnknownOptionError, match=r"no evaluation of split 'train'; have \['validation', 'test'\]"):
        history.metric('AUC', 'train')
    with pytest.raises(UnknownOptionError, match="no metric 'NDCG@10'"):
        history.metric('NDCG@10')
    with pytest.raises(UnknownOptionError, match='nothing was evaluated'):
        TrainingHistory().metric('AUC')
    assert TrainingHistory().last_metrics() == {} and TrainingHistory().seconds_per_epoch is None
