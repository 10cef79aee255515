"""WRMF: its loss is the all-cells loss, it learns a planted problem, and on ML-1M it beats
most-popular and comes within 5% of BPR's test NDCG@10."""

import numpy as np
import pytest

from openrec2.errors import SettingError
from openrec2.recommenders import WRMF
from openrec2.utils.samplers import PositiveCellSampler

from planted import planted_split
from zoo import assert_beats_most_popular, assert_learns_planted


def test_wrmf_learns_planted_problem():
    split = planted_split()
    model = WRMF(256, split.max_user, split.max_item, dim_embed=8, l2_reg=0.001, lr=0.01, seed=0, a=10.0)
    assert_learns_planted(model, split)


def test_training_loss_of_one_full_batch_is_the_dense_all_cells_loss():
    split = planted_split()
    train = split.train
    with WRMF(train.num_positives, split.max_user, split.max_item, dim_embed=4, seed=0, a=5.0, b=0.5) as model, \
            PositiveCellSampler(train, train.num_positives, seed=0) as sampler:
        values = {v.op.name: model.sess.run(v) for v in model.graph.get_collection("variables")}
        scores = model.serve_all_items(np.arange(split.max_user))
        loss = model.train(next(sampler))
    np.testing.assert_allclose(scores, values["wrmf/user/embedding"] @ values["wrmf/item/embedding"].T
                               + values["wrmf/item_bias/embedding"][:, 0], rtol=1e-5, atol=1e-6)
    observed = np.zeros((split.max_user, split.max_item), bool)
    users, items = train.positive_pairs()
    observed[users, items] = True
    expected = (np.where(observed, 5.0, 0.5) * (observed - scores.astype(np.float64)) ** 2)[train.users].sum()
    assert loss == pytest.approx(expected, rel=1e-4)


def test_declares_its_sampler_and_inputs():
    with WRMF(8, 5, 6, dim_embed=3) as model:
        assert model.input_names() == ["user_id", "item_id", "user_share"]
        assert model.training_sampler == "PositiveCellSampler"
        assert model.serve({"user_id": np.arange(5)}).shape == (5, 6)


@pytest.mark.parametrize("setting", ["a", "b"])
def test_negative_confidence_is_refused(setting):
    with pytest.raises(SettingError, match=f"wrmf.*`{setting}`"):
        WRMF(8, 5, 6, **{setting: -1.0})


@pytest.mark.slow
def test_wrmf_beats_most_popular_and_nears_bpr_on_ml1m():
    result = assert_beats_most_popular("WRMF", "ml-1m", split="random")
    # BPR on the same split and protocol (benchmarks/bpr_ml1m.py): test NDCG@10 0.2366.
    assert result.results["test"]["NDCG@10"] >= 0.95 * 0.2366
