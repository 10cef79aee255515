"""VisualCML: metric learning on item points q_i + MLP(f_i) (planted and CiteULike-a)."""

import pytest

from openrec2.recommenders import CML, VisualCML

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_visual_cml_learns_planted_problem():
    split = planted_split()
    model = VisualCML(256, split.max_user, split.max_item, 8, [16, 8], planted_item_features(split), lr=0.01, seed=0)
    assert isinstance(model, CML) and len(model._post_training_ops) == 2  # latent rows censored
    assert_learns_planted(model, split)


@pytest.mark.slow
def test_visual_cml_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("VisualCML", "citeulike-a", margin=3.0, epochs=20)
