"""CDL: SDAE item content + PMF; the legacy dims layout; serving reuses the training variables."""

import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.recommenders import CDL

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_cdl_learns_planted_problem():
    split = planted_split()
    model = CDL(256, split.max_user, split.max_item, 8, planted_item_features(split), [4, 16, 8], dropout=0.1,
                lr=0.01, seed=0)
    assert_learns_planted(model, split)


def test_the_reconstruction_error_is_part_of_the_training_loss():
    features = np.random.default_rng(0).random((6, 5)).astype(np.float32)
    batch = {"user_id": np.array([0, 1]), "item_id": np.array([2, 3]), "label": np.array([1.0, 0.0], np.float32)}
    losses = []
    for weight in (0.0, 10.0):
        with CDL(4, 3, 6, 2, features, [5, 3, 2], l2_reconst=weight, seed=0) as model:
            losses.append(model.train(batch))  # the loss before the step
    assert losses[1] > losses[0]


def test_serving_encodes_the_clean_content_with_the_training_variables():
    features = np.random.default_rng(0).random((6, 5)).astype(np.float32)
    with CDL(4, 3, 6, 2, features, [5, 3, 2], dropout=0.5, seed=0) as model:
        model.train({"user_id": np.array([0, 1]), "item_id": np.array([2, 3]), "label": np.array([1.0, 0.0])})
        v = {var.op.name[len("cdl/"):]: model.sess.run(var) for var in model.graph.get_collection("trainable_variables")}
        hidden = np.maximum(features @ v["AutoEncoder/encoder/layer0/weights"] + v["AutoEncoder/encoder/layer0/bias"], 0)
        code = hidden @ v["AutoEncoder/encoder/layer1/weights"] + v["AutoEncoder/encoder/layer1/bias"]
        expected = v["user/embedding"] @ (v["item/embedding"] + code).T + v["item_bias/embedding"][:, 0]
        np.testing.assert_allclose(model.serve_all_items(np.arange(3)), expected, rtol=1e-4, atol=1e-5)


def test_dims_follow_the_legacy_layout():
    with pytest.raises(ShapeError, match=r"dims\[0\]=4 must be the content size 5"):
        CDL(4, 3, 6, 2, np.ones((6, 5)), [4, 2])
    with pytest.raises(ShapeError, match="content size then the encoder widths"):
        CDL(4, 3, 6, 2, np.ones((6, 5)), [5])


@pytest.mark.slow
def test_cdl_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("CDL", "citeulike-a", margin=3.0, epochs=20)
