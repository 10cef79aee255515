"""ItrMLPModelTrainer: the legacy signature over ModelTrainer; MSE evaluations, periodic updates."""

import inspect

import numpy as np
import pytest

from openrec2 import ItrMLPModelTrainer
from openrec2.errors import MissingInputError
from openrec2.recommenders import BPR, ItrMLP
from openrec2.utils import Dataset
from openrec2.utils.evaluators import MSE
from openrec2.utils.samplers import ExplicitSampler


def rating_data(seed=0):
    """Ratings in [0, 1] from planted factors (train and validation rows) and pretrained
    embeddings that are the true user factors rotated (a transition has to be learned)."""
    rng = np.random.default_rng(seed)
    users, items = rng.normal(size=(60, 4)), rng.normal(size=(40, 4))
    rows = rng.permutation(60 * 40)
    u, i = rows // 40, rows % 40
    labels = 1.0 / (1.0 + np.exp(-(users[u] * items[i]).sum(1)))
    data = np.rec.fromarrays([u, i, labels], names="user_id,item_id,label")
    rotation, _ = np.linalg.qr(rng.normal(size=(4, 4)))
    return (Dataset(data[:2000], 60, 40, name="Train"), Dataset(data[2000:], 60, 40, name="Val"),
            (users @ rotation.T).astype(np.float32), items.astype(np.float32))


def test_signatures_are_the_legacy_ones():
    assert list(inspect.signature(ItrMLPModelTrainer).parameters)[:5] == [
        "batch_size", "test_batch_size", "train_dataset", "model", "sampler"]
    assert list(inspect.signature(ItrMLPModelTrainer.train).parameters)[1:6] == [
        "num_itr", "display_itr", "update_itr", "eval_datasets", "evaluators"]


def train_itr_mlp(update_itr, monkeypatch=None):
    """Train an ItrMLP on the rating data through ItrMLPModelTrainer; returns (history, update calls)."""
    train, val, users, items = rating_data()
    model = ItrMLP(16, 4, 60, 40, users, items, [16, 4], [16, 4], lr=0.01, seed=0)
    calls = []
    if monkeypatch is not None:
        update = model.update_embeddings
        monkeypatch.setattr(model, "update_embeddings", lambda: (calls.append(1), update()))
    with model, ExplicitSampler(train, 16, shuffle=True, seed=0) as sampler:
        trainer = ItrMLPModelTrainer(16, 100, train, model, sampler, verbose=False)
        history = trainer.train(num_itr=120, display_itr=30, update_itr=update_itr, eval_datasets=[val],
                                evaluators=[MSE()])
    return history, calls, float(np.var(val.data["label"]))


def test_training_lowers_the_validation_mse():
    history, _, constant = train_itr_mlp(update_itr=1000)
    mses = [e["metrics"]["MSE"] for e in history.evaluations]
    assert len(mses) == 4 and mses[-1] < mses[0] and mses[-1] < 0.3 * constant  # constant: predict the mean


def test_embeddings_move_forward_every_update_itr_steps(monkeypatch):
    _, calls, _ = train_itr_mlp(update_itr=40, monkeypatch=monkeypatch)
    assert len(calls) == 3


def test_a_model_without_temporal_embeddings_is_refused():
    train, _, _, _ = rating_data()
    with BPR(8, 60, 40, 4) as model, pytest.raises(MissingInputError, match="update_embeddings"):
        ItrMLPModelTrainer(8, 8, train, model, None)
