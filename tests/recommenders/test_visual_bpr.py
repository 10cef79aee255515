"""VisualBPR: BPR on item vectors q_i + MLP(f_i); opt is honoured (legacy dropped it)."""

import pytest

from openrec2.recommenders import VisualBPR

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_item_features


def test_visual_bpr_learns_planted_problem():
    split = planted_split()
    model = VisualBPR(256, split.max_user, split.max_item, 8, [16, 8], planted_item_features(split), lr=0.01, seed=0)
    assert_learns_planted(model, split)


def test_the_optimiser_setting_is_used():
    split = planted_split()
    with VisualBPR(16, split.max_user, split.max_item, 4, [4], planted_item_features(split), opt="SGD") as model:
        assert type(model._objectives["default"]["optimizer"]).__name__ == "GradientDescentOptimizer"


@pytest.mark.slow
def test_visual_bpr_beats_most_popular_on_citeulike_tags():
    assert_beats_most_popular("VisualBPR", "citeulike-a", margin=3.0, epochs=20)
