"""ConcatVisualBPR: item vectors [q_i, E f_i] (planted and CiteULike-a)."""

import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.recommenders import ConcatVisualBPR

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_concat_visual_bpr_learns_planted_problem():
    split = planted_split()
    model = ConcatVisualBPR(256, split.max_user, split.max_item, 8, 4, planted_item_features(split), lr=0.01, seed=0)
    assert_learns_planted(model, split)


def test_item_vectors_concatenate_latent_factors_and_projected_features():
    features = np.random.default_rng(0).random((6, 5)).astype(np.float32)
    with ConcatVisualBPR(4, 3, 6, 4, 1, features, seed=0) as model:
        values = {v.op.name: model.sess.run(v) for v in model.graph.get_collection("variables")}
        assert values["concat_visual_bpr/item/embedding"].shape == (6, 3)
        kernel = values["concat_visual_bpr/item_MLP/layer0/weights"]
        projected = features @ kernel + values["concat_visual_bpr/item_MLP/layer0/bias"]
        items = np.concatenate([values["concat_visual_bpr/item/embedding"], projected], axis=1)
        expected = values["concat_visual_bpr/user/embedding"] @ items.T + values[
            "concat_visual_bpr/item_bias/embedding"][:, 0]
        np.testing.assert_allclose(model.serve_all_items(np.arange(3)), expected, rtol=1e-5, atol=1e-6)


def test_dim_ve_must_leave_room_for_latent_factors():
    with pytest.raises(ShapeError, match="dim_ve=4 must be smaller than dim_embed=4"):
        ConcatVisualBPR(4, 3, 6, 4, 4, np.ones((6, 5)))


@pytest.mark.slow
def test_concat_visual_bpr_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("ConcatVisualBPR", "citeulike-a", margin=3.0, epochs=20)
