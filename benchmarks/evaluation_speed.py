"""Speed of full-ranking evaluation on MovieLens 1M (ratings >= 3, the given 8:1:1 split).

Scores come from random d=64 float32 factors (numpy matrix product), so the numbers
measure scoring plus evaluation, not a model. The test split is evaluated with the
training items excluded, against Recall/Precision/NDCG/Hit/MRR/MAP at 10 and 20 plus
per-user AUC. Prints the median seconds of several runs of:

* end to end: ``evaluate_with_scorer`` (batches of users scored by the matrix product,
  then ranked and evaluated);
* scoring only: the matrix products of the same batches;
* metrics only: ``evaluate`` on a precomputed score matrix (with and without AUC);
* set-up (not in the above): loading the files and building the EvaluationSampler.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/evaluation_speed.py [--runs 7]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

import numpy as np

from openrec2.datasets import load_ml1m_ratings3
from openrec2.utils.evaluators import (AUC, MAP, MRR, NDCG, HitRatio, Precision, Recall, evaluate,
                                       evaluate_with_scorer)
from openrec2.utils.samplers.evaluation import EvaluationSampler

CUTOFFS = [10, 20]


def median_seconds(function, runs: int) -> float:
    """Median wall-clock seconds of ``runs`` calls of ``function``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=7, help='timed runs per measurement (median reported)')
    parser.add_argument('--batch-size', type=int, default=1024, help='users scored and ranked at once')
    parser.add_argument('--dim', type=int, default=64, help='latent dimension of the random factors')
    args = parser.parse_args()

    start = time.perf_counter()
    split = load_ml1m_ratings3()
    load_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sampler = EvaluationSampler(split.test, args.batch_size, excluded_datasets=[split.train])
    sampler_seconds = time.perf_counter() - start

    rng = np.random.default_rng(0)
    user_factors = rng.standard_normal((split.max_user, args.dim)).astype(np.float32)
    item_factors = rng.standard_normal((split.max_item, args.dim)).astype(np.float32)
    item_factors_t = np.ascontiguousarray(item_factors.T)

    def score_fn(batch):
        return user_factors[batch['user_id']] @ item_factors_t

    ranking = [Recall(CUTOFFS), Precision(CUTOFFS), NDCG(CUTOFFS), HitRatio(CUTOFFS), MRR(CUTOFFS),
               MAP(CUTOFFS)]
    evaluators = ranking + [AUC()]
    all_scores = user_factors @ item_factors_t

    results = evaluate_with_scorer(score_fn, sampler, evaluators)
    end_to_end = median_seconds(lambda: evaluate_with_scorer(score_fn, sampler, evaluators), args.runs)
    scoring = median_seconds(lambda: [score_fn(batch) for batch in sampler], args.runs)
    metrics = median_seconds(lambda: evaluate(all_scores, sampler.test_items, sampler.excluded_items,
                                              evaluators, batch_size=args.batch_size), args.runs)
    metrics_no_auc = median_seconds(lambda: evaluate(all_scores, sampler.test_items, sampler.excluded_items,
                                                     ranking, batch_size=args.batch_size), args.runs)

    print(f'ML-1M ratings>=3, test split, train excluded: {results.num_evaluated} users x '
          f'{split.max_item} items, d={args.dim}, batch_size={args.batch_size}')
    print(f'machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, '
          f'numpy {np.__version__}; median of {args.runs} runs')
    print(f'{"measurement":<44}{"seconds":>10}')
    for label, seconds in (('end to end (scoring + 12 top-K + AUC)', end_to_end),
                           ('scoring only (numpy matmul)', scoring),
                           ('metrics only, with AUC', metrics),
                           ('metrics only, without AUC', metrics_no_auc),
                           ('set-up: load files (once)', load_seconds),
                           ('set-up: EvaluationSampler (once)', sampler_seconds)):
        print(f'{label:<44}{seconds:>10.3f}')
    print('values (random factors, near chance): ' + ', '.join(f'{k}={v:.4f}' for k, v in results.items()))


if __name__ == '__main__':
    main()
