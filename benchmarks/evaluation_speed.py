"""Speed of full-ranking evaluation on MovieLens 1M (ratings >= 3, the given 8:1:1 split),
against the hardware reference of issue 16 (target 3).

The test split is evaluated with the training items excluded, against Recall, Precision,
NDCG, Hit, MRR and MAP at 10 and 20 plus per-user AUC. All measurements below are taken
in ONE run, interleaved (each repetition times every measurement once, in turn), and the
median over the repetitions is reported, so that the load of a shared machine hits every
side of a ratio alike:

* reference: the matrix product of the same float32 factors for every evaluated user,
  then one ``np.argpartition(-scores, 20, axis=1)`` over the whole ``[users x items]``
  matrix; the two are also timed alone, and the ratios use the smaller of the pair and
  the sum of its parts;
* end to end: ``evaluate_with_scorer`` on random d=64 float32 factors (batches of users
  scored by the numpy matrix product, then ranked and evaluated);
* scoring only: the matrix products of the same batches;
* metrics only: ``evaluate`` on a precomputed score matrix (with and without AUC);
* BPR: the path ``ModelTrainer.evaluate`` takes for a trained BPR model (one epoch of
  training first; ``model_scorer`` -> ``serve_all_items`` through the TensorFlow
  serving graph), end to end and its serving alone (skip with ``--no-bpr``);
* set-up (once, not in the above): loading the files and building the EvaluationSampler.

The verdict compares end to end with at most 2x the reference (the target). Run:
``OPENREC2_DATA=../shared/datasets python benchmarks/evaluation_speed.py [--runs 7]``;
say the machine's load (``uptime``) with the numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

import numpy as np  # noqa: E402

from openrec2.datasets import load_ml1m_ratings3  # noqa: E402
from openrec2.utils.evaluators import (AUC, MAP, MRR, NDCG, HitRatio, Precision, Recall, evaluate,  # noqa: E402
                                       evaluate_with_scorer)
from openrec2.utils.samplers.evaluation import EvaluationSampler  # noqa: E402

CUTOFFS = [10, 20]
TARGET_RATIO = 2.0


def interleaved_medians(measurements: dict, runs: int) -> dict:
    """Median wall-clock seconds of each function, timed in turn ``runs`` times.

    Args:
        measurements: ``{label: zero-argument function}``.
        runs: Repetitions; each times every function once, in the given order.

    Returns:
        ``{label: median seconds}``.
    """
    times: dict = {label: [] for label in measurements}
    for _ in range(runs):
        for label, function in measurements.items():
            start = time.perf_counter()
            function()
            times[label].append(time.perf_counter() - start)
    return {label: statistics.median(values) for label, values in times.items()}


def trained_bpr(split, dim: int):
    """A BPR model trained one epoch on ``split.train`` and its ModelTrainer (caller closes the model).

    Args:
        split: The loaded ML-1M split.
        dim: Embedding dimension.

    Returns:
        ``(model, trainer)``.
    """
    from openrec2 import ModelTrainer
    from openrec2.recommenders import BPR
    from openrec2.utils.samplers import PairwiseSampler
    model = BPR(batch_size=4096, max_user=split.max_user, max_item=split.max_item, dim_embed=dim,
                test_batch_size=1024, opt='Adam', lr=1e-3, seed=0)
    trainer = ModelTrainer(model, verbose=False)
    with PairwiseSampler(split.train, 4096, seed=0) as sampler:
        trainer.train(total_iter=sampler.batches_per_epoch, eval_iter=None, save_iter=None, train_sampler=sampler)
    return model, trainer


def main() -> None:
    """Run the benchmark and print its table and verdict."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=7, help='interleaved repetitions (median reported)')
    parser.add_argument('--batch-size', type=int, default=1024, help='users scored and ranked at once')
    parser.add_argument('--dim', type=int, default=64, help='latent dimension of the factors')
    parser.add_argument('--no-bpr', action='store_true', help='skip the BPR model (no TensorFlow)')
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
    evaluated_factors = user_factors[sampler.users]

    def score_fn(batch):
        return user_factors[batch['user_id']] @ item_factors_t

    ranking = [Recall(CUTOFFS), Precision(CUTOFFS), NDCG(CUTOFFS), HitRatio(CUTOFFS), MRR(CUTOFFS),
               MAP(CUTOFFS)]
    evaluators = ranking + [AUC()]
    all_scores = user_factors @ item_factors_t
    evaluated_scores = evaluated_factors @ item_factors_t

    results = evaluate_with_scorer(score_fn, sampler, evaluators)
    measurements = {
        'reference: matmul + argpartition (k=20)':
            lambda: np.argpartition(-(evaluated_factors @ item_factors_t), 20, axis=1),
        'reference part: matmul': lambda: evaluated_factors @ item_factors_t,
        'reference part: argpartition': lambda: np.argpartition(-evaluated_scores, 20, axis=1),
        'end to end (scoring + 12 top-K + AUC)': lambda: evaluate_with_scorer(score_fn, sampler, evaluators),
        'scoring only (numpy matmul of the batches)': lambda: [score_fn(batch) for batch in sampler],
        'metrics only, with AUC': lambda: evaluate(all_scores, sampler.test_items, sampler.excluded_items,
                                                   evaluators, batch_size=args.batch_size),
        'metrics only, without AUC': lambda: evaluate(all_scores, sampler.test_items, sampler.excluded_items,
                                                      ranking, batch_size=args.batch_size),
    }
    model = None
    if not args.no_bpr:
        model, trainer = trained_bpr(split, args.dim)
        bpr_results = trainer.evaluate({'test': sampler}, evaluators)['test']
        measurements['BPR: ModelTrainer.evaluate (end to end)'] = \
            lambda: trainer.evaluate({'test': sampler}, evaluators)
        measurements['BPR: serving only (serve_all_items)'] = \
            lambda: [model.serve_all_items(batch['user_id']) for batch in sampler]
    try:
        seconds = interleaved_medians(measurements, args.runs)
    finally:
        if model is not None:
            model.close()

    print(f'ML-1M ratings>=3, test split, train excluded: {results.num_evaluated} users x '
          f'{split.max_item} items, d={args.dim}, batch_size={args.batch_size}')
    print(f'machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, '
          f'numpy {np.__version__}, load average {os.getloadavg()[0]:.2f}; median of {args.runs} '
          'interleaved runs')
    print(f'{"measurement":<46}{"seconds":>10}')
    for label, value in list(seconds.items()) + [('set-up: load files (once)', load_seconds),
                                                 ('set-up: EvaluationSampler (once)', sampler_seconds)]:
        print(f'{label:<46}{value:>10.3f}')
    # The stricter of the two references: the measured pair, or its parts timed alone
    # (which skip allocating the negated matrix).
    parts = seconds['reference part: matmul'] + seconds['reference part: argpartition']
    reference = min(seconds['reference: matmul + argpartition (k=20)'], parts)
    print(f'reference used for the ratios: {reference:.3f} s (the smaller of the pair and the sum of its parts)')
    ratios = [('end to end', seconds['end to end (scoring + 12 top-K + AUC)'])]
    if model is not None:
        ratios.append(('BPR ModelTrainer.evaluate', seconds['BPR: ModelTrainer.evaluate (end to end)']))
    for label, value in ratios:
        ratio = value / reference
        verdict = 'meets' if ratio <= TARGET_RATIO else 'misses'
        print(f'ratio {label} / reference: {ratio:.2f}x ({verdict} the {TARGET_RATIO:g}x target)')
    print('values (random factors, near chance): ' + ', '.join(f'{k}={v:.4f}' for k, v in results.items()))
    if model is not None:
        print('values (BPR, one epoch): ' + ', '.join(f'{k}={v:.4f}' for k, v in bpr_results.items()))


if __name__ == '__main__':
    main()
