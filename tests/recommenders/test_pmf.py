"""PMF learns a planted low-rank problem from sampled positives/negatives."""

import numpy as np

from openrec2.recommenders import PMF
from openrec2.utils.samplers import PointwiseSampler

from planted import assert_learns, planted_split


def test_pmf_learns_planted_problem():
    split = planted_split()
    model = PMF(batch_size=256, max_user=split.max_user, max_item=split.max_item, dim_embed=8,
                l2_reg=0.001, lr=0.01, seed=0)
    assert_learns(model, PointwiseSampler(split.train, batch_size=256, pos_ratio=0.5, seed=0), split, steps=400)


def test_pmf_sigmoid_scores_are_probabilities():
    with PMF(batch_size=4, dim_embed=8, max_user=5, max_item=6, sigmoid=True) as model:
        scores = model.serve({"user_id": np.arange(5)})
        assert scores.shape == (5, 6) and scores.min() > 0 and scores.max() < 1
        assert model.input_names() == ["user_id", "item_id", "label"]
