"""UserPMF: user vectors p_u + MLP(g_u) from user features (planted and ML-100K demographics)."""

import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.recommenders import UserPMF

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted, planted_user_features


def test_user_pmf_learns_planted_problem():
    split = planted_split()
    model = UserPMF(256, split.max_user, split.max_item, 8, [16, 8], planted_user_features(split), lr=0.01, seed=0)
    assert_learns_planted(model, split)


def test_user_features_need_one_row_per_user():
    with pytest.raises(ShapeError, match=r"user_f_source.*\[3, F\]"):
        UserPMF(4, 3, 6, 2, [2], np.ones((6, 2)))


@pytest.mark.slow
def test_user_pmf_beats_most_popular_on_ml100k_demographics():
    assert_beats_most_popular("UserPMF", "ml-100k")
