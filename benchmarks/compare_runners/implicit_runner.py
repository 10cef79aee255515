"""implicit's BPR (C++ SGD) on the exported split: seconds per epoch and test Recall/NDCG@10.

``implicit.cpu.bpr.BayesianPersonalizedRanking`` keeps its factors across ``fit`` calls
(it creates them only while they are None) and draws its per-thread sampler seeds from
``random_state`` on every call; with a ``numpy.random.Generator`` as ``random_state``
each call gets new seeds. So one ``fit(iterations=1)`` is one more epoch of the same
model, and the timed epoch includes fit's own per-call set-up (CSR checks, the row ids;
a few ms). Settings: the library defaults (SGD lr 0.01, regularisation 0.01, negatives
checked against the user's positives) except factors=64 and ``--threads`` threads.
The quality run trains a fresh model for ``--quality-iterations`` (its default 100).

Run (by compare.py): ``/work/bench_venv/bin/python implicit_runner.py --split DIR/split.npz``.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.sparse as sp
from implicit.cpu.bpr import BayesianPersonalizedRanking

from full_ranking import recall_ndcg
from runner_common import emit, epoch_summary, parse_args
from split_files import load_split


def user_items(split: dict) -> sp.csr_matrix:
    """Binary users x items CSR of the training pairs (over the whole id ranges)."""
    train = split['train']
    matrix = sp.csr_matrix((np.ones(len(train), dtype=np.float32), (train[:, 0], train[:, 1])),
                           shape=(split['num_users'], split['num_items']))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    matrix.sort_indices()
    return matrix


def quality(model: BayesianPersonalizedRanking, split: dict) -> dict:
    """Test metrics of a fitted model (its last factor column is the item bias, users hold 1 there)."""
    excluded = np.concatenate([split['train'], split['valid']])
    return recall_ndcg(np.asarray(model.user_factors), np.asarray(model.item_factors), excluded, split['test'])


def main() -> None:
    """Time ``--epochs`` single-epoch fits, evaluate, then the separate default-length run."""
    args = parse_args(__doc__.split('\n')[0])
    split = load_split(args.split)
    matrix = user_items(split)
    model = BayesianPersonalizedRanking(factors=64, iterations=1, num_threads=args.threads,
                                        random_state=np.random.default_rng(2020))
    seconds = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        model.fit(matrix, show_progress=False)
        seconds.append(time.perf_counter() - started)
    result = {'system': 'implicit BPR', 'version': __import__('implicit').__version__,
              'settings': f'factors=64, lr 0.01 SGD, reg 0.01 (defaults), {args.threads} threads',
              'epochs': args.epochs, **epoch_summary(seconds), 'test_at_budget': quality(model, split)}
    if args.quality_iterations:
        fresh = BayesianPersonalizedRanking(factors=64, iterations=args.quality_iterations,
                                            num_threads=args.threads, random_state=np.random.default_rng(2020))
        started = time.perf_counter()
        fresh.fit(matrix, show_progress=False)
        result['quality_run'] = {'epochs': args.quality_iterations, 'seconds': time.perf_counter() - started,
                                 'test': quality(fresh, split)}
    emit(result)


if __name__ == '__main__':
    main()
