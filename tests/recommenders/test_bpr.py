"""BPR learns a planted low-rank problem and beats the popularity baseline."""

from openrec2.recommenders import BPR
from openrec2.utils.samplers import PairwiseSampler

from planted import assert_learns, planted_split


def test_bpr_learns_planted_problem():
    split = planted_split()
    model = BPR(batch_size=256, max_user=split.max_user, max_item=split.max_item, dim_embed=8, lr=0.01, seed=0)
    assert_learns(model, PairwiseSampler(split.train, batch_size=256, seed=0), split, steps=300)
