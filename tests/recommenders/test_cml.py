"""CML: Euclidean scores, the unit-ball censoring after each step, learning (planted and ML-100K)."""

import numpy as np
import pytest

from openrec2.recommenders import CML

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted


def test_cml_learns_planted_problem():
    split = planted_split()
    assert_learns_planted(CML(256, split.max_user, split.max_item, 8, lr=0.01, seed=0), split)


def test_rows_of_a_batch_are_censored_to_the_unit_ball():
    with CML(3, 4, 6, 2, lr=0.5, seed=0, init_dict={"user/embedding": np.full((4, 2), 3.0, np.float32)}) as model:
        model.train({"user_id": np.array([0, 1]), "p_item_id": np.array([0, 1]), "n_item_id": np.array([2, 3])})
        users = model.sess.run(model._get_module("user_vec").embedding)
        items = model.sess.run(model._get_module("item_vec").embedding)
    norms = np.linalg.norm(users, axis=1)
    assert (norms[:2] <= 1.0 + 1e-5).all() and np.allclose(norms[2:], np.sqrt(18.0))  # untouched rows stay
    assert (np.linalg.norm(items[:4], axis=1) <= 1.0 + 1e-5).all()


def test_serving_scores_are_negative_squared_distances_plus_bias():
    with CML(4, 3, 5, 2, seed=0) as model:
        values = {v.op.name: model.sess.run(v) for v in model.graph.get_collection("variables")}
        user, item = values["cml/user/embedding"], values["cml/item/embedding"]
        bias = values["cml/item_bias/embedding"][:, 0]
        expected = -((user[:, None, :] - item[None]) ** 2).sum(-1) + bias
        np.testing.assert_allclose(model.serve_all_items(np.arange(3)), expected, rtol=1e-4, atol=1e-6)


@pytest.mark.slow
def test_cml_beats_most_popular_on_ml100k():
    assert_beats_most_popular("CML", "ml-100k")
