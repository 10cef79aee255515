"""VisualGMF: GMF on item vectors q_i + MLP(f_i) (planted and CiteULike-a)."""

import pytest

from openrec2.recommenders import VisualGMF

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_visual_gmf_learns_planted_problem():
    split = planted_split()
    model = VisualGMF(256, split.max_user, split.max_item, 8, [16, 8], planted_item_features(split), lr=0.01, seed=0)
    assert "visual_gmf/interaction/ge_weights" in {v.op.name for v in model.graph.get_collection("variables")}
    assert_learns_planted(model, split)


@pytest.mark.slow
def test_visual_gmf_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("VisualGMF", "citeulike-a", margin=3.0, epochs=20)
