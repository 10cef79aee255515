"""UserVisualPMF: user and item feature MLPs together (planted and ML-100K)."""

import pytest

from openrec2.recommenders import UserVisualPMF

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features, planted_user_features


def test_user_visual_pmf_learns_planted_problem():
    split = planted_split()
    model = UserVisualPMF(256, split.max_user, split.max_item, 8, [16, 8], [16, 8], planted_user_features(split),
                          planted_item_features(split), lr=0.01, seed=0)
    names = {v.op.name for v in model.graph.get_collection("variables")}
    assert {"user_visual_pmf/user_MLP/layer0/weights", "user_visual_pmf/item_MLP/layer0/weights"} <= names
    assert_learns_planted(model, split)


@pytest.mark.slow
def test_user_visual_pmf_beats_most_popular_on_ml100k():
    assert_beats_most_popular("UserVisualPMF", "ml-100k")
