"""GMF: the legacy argument order, the GMF logit, learning (planted and ML-100K)."""

import numpy as np
import pytest

from openrec2.recommenders import GMF

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted


def test_gmf_learns_planted_problem():
    split = planted_split()
    assert_learns_planted(GMF(256, 8, split.max_user, split.max_item, lr=0.01, seed=0), split)


def test_positional_legacy_call_means_batch_dim_users_items():
    with GMF(10, 8, 30, 50) as model:
        assert (model.batch_size, model.max_user, model.max_item) == (10, 30, 50)
        assert model.serve({"user_id": np.array([0, 29])}).shape == (2, 50)


def test_serving_is_the_weighted_factor_product():
    with GMF(4, 3, 5, 6, seed=0) as model:
        values = {v.op.name: model.sess.run(v) for v in model.graph.get_collection("variables")}
        user, item = values["gmf/user/embedding"], values["gmf/item/embedding"]
        h, bias = values["gmf/interaction/ge_weights"], values["gmf/item_bias/embedding"][:, 0]
        expected = (user[:, None, :] * item[None, :, :] * h).sum(-1) + bias
        np.testing.assert_allclose(model.serve_all_items(np.arange(5)), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_gmf_beats_most_popular_on_ml100k():
    assert_beats_most_popular("GMF", "ml-100k")
