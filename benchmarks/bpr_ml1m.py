"""BPR on MovieLens 1M ratings >= 3 with RecBole's default protocol: speed and test quality.

Model: BPR (Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback",
UAI 2009), d=64, lazy Adam, lr 1e-3, batch 4096, no L2, one sampled negative per
positive, each epoch one shuffled pass over the training positives.

Protocol (RecBole 1.2.1 defaults): all 836,478 interactions of the three
``ml-1m-ratings3`` files re-split per user at random 8:1:1 (seed 2020); full ranking of
every item, excluding the user's training items (validation) and training +
validation items (test); validation every epoch, early stopping on validation NDCG@10
with patience 10 evaluations, the best model restored for the test.

Prints seconds per training epoch (sampling included), seconds per full evaluation
of the validation split, and test Recall@10/20, NDCG@10/20, MRR@10, Hit@10,
Precision@10. Targets of issue 3: Recall@10 >= 0.17, NDCG@10 >= 0.23, an epoch faster
than RecBole's 1.6 s on the same machine.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/bpr_ml1m.py [--max-epochs 300]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from typing import Optional

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

from openrec2 import ModelTrainer  # noqa: E402
from openrec2.datasets import load_ml1m_ratings3  # noqa: E402
from openrec2.recommenders import BPR  # noqa: E402
from openrec2.trainer.console import metrics_table  # noqa: E402
from openrec2.utils.evaluators import MRR, NDCG, HitRatio, Precision, Recall  # noqa: E402
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler  # noqa: E402

TEST_KEYS = ['Recall@10', 'Recall@20', 'NDCG@10', 'NDCG@20', 'MRR@10', 'Hit@10', 'Precision@10']
TARGETS = {'Recall@10': 0.17, 'NDCG@10': 0.23}
RECBOLE_EPOCH_SECONDS = 1.6


def run(data_home: Optional[str] = None, max_epochs: int = 300, patience: int = 10, batch_size: int = 4096,
        dim: int = 64, lr: float = 1e-3, l2_reg: Optional[float] = None, seed: int = 2020,
        num_workers: int = 1, verbose: bool = True) -> dict:
    """Train and evaluate BPR on ML-1M ratings >= 3 (RecBole protocol).

    Args:
        data_home: Data home override.
        max_epochs: Epoch limit (early stopping usually ends sooner).
        patience: Validation evaluations without improvement before stopping.
        batch_size: Training batch size.
        dim: Embedding size.
        lr: Adam learning rate.
        l2_reg: L2 weight (None: none, as RecBole's BPR).
        seed: Seed of the model and the sampler (the split seed is 2020).
        num_workers: Sampler worker threads.
        verbose: Print the training log.

    Returns:
        Dict with the test metrics (``'test'``), ``'seconds_per_epoch'``,
        ``'seconds_per_evaluation'``, ``'best_epoch'``, ``'epochs'`` and ``'protocol'``.
    """
    split = load_ml1m_ratings3(split='random', ratios=(0.8, 0.1, 0.1), seed=2020, data_home=data_home)
    evaluators = [Recall([10, 20]), NDCG([10, 20]), MRR(10), HitRatio(10), Precision(10)]
    validation = EvaluationSampler(split.validation, 1024, excluded_datasets=[split.train])
    test = EvaluationSampler(split.test, 1024, excluded_datasets=[split.train, split.validation])
    with BPR(batch_size=batch_size, max_user=split.max_user, max_item=split.max_item, dim_embed=dim,
             test_batch_size=1024, l2_reg=l2_reg, opt='Adam', lr=lr, seed=seed) as model, \
            PairwiseSampler(split.train, batch_size, num_process=num_workers, seed=seed) as sampler:
        per_epoch = sampler.batches_per_epoch
        trainer = ModelTrainer(model, early_stop_metric='NDCG@10', patience=patience, verbose=verbose)
        history = trainer.train(total_iter=max_epochs * per_epoch, eval_iter=per_epoch, save_iter=None,
                                train_sampler=sampler, eval_samplers={'validation': validation},
                                evaluators=evaluators)
        started = time.perf_counter()
        test_metrics = trainer.evaluate({'test': test}, evaluators)['test']
        test_seconds = time.perf_counter() - started
    return {'test': dict(test_metrics), 'seconds_per_epoch': history.seconds_per_epoch,
            'seconds_per_evaluation': history.seconds_per_evaluation, 'test_evaluation_seconds': test_seconds,
            'best_epoch': history.best_iteration / per_epoch, 'epochs': history.iterations_run / per_epoch,
            'batches_per_epoch': per_epoch, 'protocol': split.protocol}


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--max-epochs', type=int, default=300)
    parser.add_argument('--patience', type=int, default=10)
    parser.add_argument('--lr', type=float, default=1e-3)
    parser.add_argument('--l2', type=float, default=None)
    parser.add_argument('--num-workers', type=int, default=1)
    parser.add_argument('--quiet', action='store_true', help='hide the training log')
    args = parser.parse_args()
    started = time.perf_counter()
    result = run(max_epochs=args.max_epochs, patience=args.patience, lr=args.lr, l2_reg=args.l2,
                 num_workers=args.num_workers, verbose=not args.quiet)
    total = time.perf_counter() - started
    print(f'\nBPR on ML-1M ratings>=3 — {result["protocol"]}')
    print(f'machine: {platform.machine()}, {os.cpu_count()} cores (shared: timings are noisy)')
    print(f'{result["epochs"]:.0f} epochs of {result["batches_per_epoch"]} batches, best validation NDCG@10 at '
          f'epoch {result["best_epoch"]:.0f}; total {total:.0f} s\n')
    timing = {'s/epoch': result['seconds_per_epoch'], 's/full eval': result['seconds_per_evaluation']}
    print(metrics_table([('BPR (openrec2)', {**timing, **result['test']})], list(timing) + TEST_KEYS, label='model'))
    verdicts = [f'{key} {result["test"][key]:.4f} {">=" if result["test"][key] >= target else "<"} {target}'
                for key, target in TARGETS.items()]
    verdicts.append(f'epoch {result["seconds_per_epoch"]:.2f} s '
                    f'{"<" if result["seconds_per_epoch"] < RECBOLE_EPOCH_SECONDS else ">="} '
                    f'{RECBOLE_EPOCH_SECONDS} s (RecBole)')
    print('\ntargets: ' + '; '.join(verdicts))


if __name__ == '__main__':
    main()
