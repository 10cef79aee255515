"""PMF learns a planted low-rank problem from sampled positives/negatives."""

import numpy as np

from openrec2.recommenders import PMF
from openrec2.utils.samplers import PointwiseSampler

from planted import planted_split, popularity_metrics, test_metrics


def test_pmf_learns_planted_problem():
    split = planted_split()
    with PMF(batch_size=256, max_user=split.max_user, max_item=split.max_item, dim_embed=8,
             l2_reg=0.001, lr=0.01, seed=0) as model, \
            PointwiseSampler(split.train, batch_size=256, pos_ratio=0.5, seed=0) as sampler:
        first = np.mean([model.train(next(sampler)) for _ in range(10)])
        for _ in range(400):
            last = model.train(next(sampler))
        scores = model.serve_all_items(np.arange(split.max_user))
    learned, popular = test_metrics(scores, split), popularity_metrics(split)
    assert last < 0.7 * first
    assert learned["AUC"] > 0.8
    assert learned["AUC"] > popular["AUC"] + 0.1
    assert learned["Recall@10"] > 1.5 * popular["Recall@10"]


def test_pmf_sigmoid_scores_are_probabilities():
    with PMF(batch_size=4, max_user=5, max_item=6, sigmoid=True) as model:
        scores = model.serve({"user_id": np.arange(5)})
        assert scores.shape == (5, 6) and scores.min() > 0 and scores.max() < 1
        assert model.input_names() == ["user_id", "item_id", "label"]
