"""BPR learns a planted low-rank problem and beats the popularity baseline."""

import numpy as np

from openrec2.recommenders import BPR
from openrec2.utils.samplers import PairwiseSampler

from planted import planted_split, popularity_metrics, test_metrics


def test_bpr_learns_planted_problem():
    split = planted_split()
    with BPR(batch_size=256, max_user=split.max_user, max_item=split.max_item, dim_embed=8,
             lr=0.01, seed=0) as model, PairwiseSampler(split.train, batch_size=256, seed=0) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(300):
            last = model.train(next(sampler))
        scores = model.serve_all_items(np.arange(split.max_user))
    learned, popular = test_metrics(scores, split), popularity_metrics(split)
    assert last < 0.7 * first
    assert learned["AUC"] > 0.8
    assert learned["AUC"] > popular["AUC"] + 0.1
    assert learned["Recall@10"] > 1.5 * popular["Recall@10"]
