"""NBPR: n-negative batches, the NsLog loss, learning (planted and ML-100K)."""

import numpy as np
import pytest

from openrec2.errors import ShapeError
from openrec2.recommenders import NBPR

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted


def test_nbpr_learns_planted_problem():
    split = planted_split()
    model = NBPR(256, split.max_user, split.max_item, 8, neg_num=5, lr=0.01, seed=0)
    assert model.training_sampler_options() == {"num_negatives": 5}
    assert_learns_planted(model, split, loss_drop=0.9)


def test_training_batches_carry_neg_num_negatives():
    with NBPR(4, 10, 20, 3, neg_num=3) as model:
        batch = {"user_id": np.array([0, 1]), "p_item_id": np.array([2, 3]), "n_item_id": np.array([[4, 5, 6]] * 2)}
        assert np.isfinite(model.train(batch))
        with pytest.raises(ShapeError, match="n_item_id"):
            model.train({**batch, "n_item_id": np.array([4, 5])})


@pytest.mark.slow
def test_nbpr_beats_most_popular_on_ml100k():
    assert_beats_most_popular("NBPR", "ml-100k")
