"""ConvNCF (He et al., IJCAI 2018) on MovieLens 100K, trained as the paper does.

Protocol: ML-100K, every rating a positive, random per-user 8:1:1 split (seed 2020);
full ranking of the test items with the training and validation items excluded.
First MF-BPR is trained (d=64, lazy Adam), saved, and ConvNCF starts from its
embeddings (``train_method='after_pretrain'``, RecBole defaults otherwise) for three
epochs. Reports, for ConvNCF, the BPR it started from and most-popular: training
examples (triples) per second, seconds per full evaluation of the test users, and
NDCG@10 / Recall@10 / HR@10.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/seed_models/convncf.py``.
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Optional


os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from openrec2.datasets import load_ml100k  # noqa: E402
from openrec2.recommenders import BPR, ConvNCF  # noqa: E402
from openrec2.trainer.baselines import popularity_scorer  # noqa: E402
from openrec2.utils.evaluators import NDCG, HitRatio, Recall, evaluate_with_scorer  # noqa: E402
from openrec2.utils.samplers import PairwiseSampler  # noqa: E402
from openrec2.utils.samplers.evaluation import EvaluationSampler  # noqa: E402

METRICS = ("NDCG@10", "Recall@10", "Hit@10")


def train_epochs(model, sampler: PairwiseSampler, epochs: int) -> float:
    """Run ``epochs`` passes of ``sampler`` through ``model.train``; return triples per second."""
    steps = epochs * sampler.batches_per_epoch
    start = time.perf_counter()
    for _ in range(steps):
        model.train(next(sampler))
    return steps * sampler.batch_size / (time.perf_counter() - start)


def full_evaluation(score_fn, split, batch_size: int = 256) -> tuple[dict, float]:
    """Full-ranking test metrics of ``score_fn`` and the seconds the evaluation took."""
    sampler = EvaluationSampler(split.test, batch_size, excluded_datasets=[split.train, split.validation])
    start = time.perf_counter()
    results = evaluate_with_scorer(score_fn, sampler, [NDCG(10), Recall(10), HitRatio(10)])
    seconds = time.perf_counter() - start
    return {name: float(results[name]) for name in METRICS}, seconds


def run(data_home: Optional[str] = None, bpr_epochs: int = 40, bpr_lr: float = 5e-3,
        convncf_epochs: int = 3, convncf_lr: float = 1e-3, batch_size: int = 512,
        seed: int = 2020) -> list:
    """Pretrain BPR, train ConvNCF after_pretrain, evaluate both and most-popular.

    Args:
        data_home: Data home (default ``$OPENREC2_DATA``).
        bpr_epochs: BPR epochs.
        bpr_lr: BPR learning rate.
        convncf_epochs: ConvNCF epochs after pretraining.
        convncf_lr: ConvNCF learning rate.
        batch_size: Triples per training batch (both models).
        seed: Seed of models and samplers.

    Returns:
        One row (dict) per model.
    """
    split = load_ml100k(data_home=data_home)
    sizes = dict(max_user=split.max_user, max_item=split.max_item)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        with BPR(batch_size=batch_size, dim_embed=64, lr=bpr_lr, seed=seed, **sizes) as bpr, \
                PairwiseSampler(split.train, batch_size, seed=seed) as sampler:
            speed = train_epochs(bpr, sampler, bpr_epochs)
            metrics, seconds = full_evaluation(bpr.serve, split)
            prefix = bpr.save(folder)
        rows.append(dict(model="BPR (pretraining)", epochs=bpr_epochs, train_examples_per_s=speed,
                         eval_seconds=seconds, **metrics))
        with ConvNCF(batch_size=batch_size, embedding_size=64, train_method="after_pretrain",
                     pre_model_path=prefix, lr=convncf_lr, seed=seed, **sizes) as model, \
                PairwiseSampler(split.train, batch_size, seed=seed + 1) as sampler:
            speed = train_epochs(model, sampler, convncf_epochs)
            metrics, seconds = full_evaluation(model.serve, split)
        rows.append(dict(model="ConvNCF (after_pretrain)", epochs=convncf_epochs, train_examples_per_s=speed,
                         eval_seconds=seconds, **metrics))
    metrics, seconds = full_evaluation(popularity_scorer(split.train), split)
    rows.append(dict(model="MostPop", epochs=0, train_examples_per_s=None, eval_seconds=seconds, **metrics))
    for row in rows:
        row["dataset"] = "ml-100k (random 8:1:1, full ranking)"
    return rows


if __name__ == "__main__":
    for result in run():
        print(result)
