"""Cornac's BPR (Cython SGD) on the exported split: seconds per epoch and test Recall/NDCG@10.

``cornac.models.BPR.fit`` keeps the factors of an earlier fit (it creates them only
while they are None), so one ``fit`` with ``max_iter=1`` is one more epoch of the same
model; the timed epoch includes fit's per-call set-up (the row ids, its samplers'
seeding). The train set is a ``cornac.data.Dataset`` over the whole id ranges with
identity id maps, so factor row ``u`` is user ``u``. Settings: the library defaults
(SGD lr 0.001, lambda_reg 0.01, item biases) except k=64 and ``--threads`` threads.
The quality run trains a fresh model for ``--quality-iterations`` (its default 100).

Run (by compare.py): ``/work/bench_venv/bin/python cornac_runner.py --split DIR/split.npz``.
Cornac 2.3.0's wheel needs libstdc++ GLIBCXX_3.4.32 (GCC 13); on older systems use 2.2.2.
"""

from __future__ import annotations

import time

import numpy as np
import cornac
from cornac.data import Dataset
from cornac.models import BPR

from full_ranking import recall_ndcg
from runner_common import emit, epoch_summary, parse_args
from split_files import load_split


def train_set(split: dict) -> Dataset:
    """Cornac Dataset of the training pairs with identity user/item id maps over the full ranges."""
    train = np.unique(split['train'], axis=0)
    uid_map = {u: u for u in range(split['num_users'])}
    iid_map = {i: i for i in range(split['num_items'])}
    triples = (train[:, 0], train[:, 1], np.ones(len(train), dtype=np.float64))
    return Dataset(split['num_users'], split['num_items'], uid_map, iid_map, triples, seed=2020)


def quality(model: BPR, split: dict) -> dict:
    """Test metrics of a fitted model (scores are user . item + item bias)."""
    excluded = np.concatenate([split['train'], split['valid']])
    return recall_ndcg(model.u_factors, model.i_factors, excluded, split['test'], item_bias=model.i_biases)


def main() -> None:
    """Time ``--epochs`` single-epoch fits, evaluate, then the separate default-length run."""
    args = parse_args(__doc__.split('\n')[0])
    split = load_split(args.split)
    data = train_set(split)
    model = BPR(k=64, max_iter=1, num_threads=args.threads, seed=2020, verbose=False)
    seconds = []
    for _ in range(args.epochs):
        started = time.perf_counter()
        model.fit(data)
        seconds.append(time.perf_counter() - started)
    result = {'system': 'Cornac BPR', 'version': cornac.__version__,
              'settings': f'k=64, lr 0.001 SGD, lambda_reg 0.01 (defaults), {args.threads} threads',
              'epochs': args.epochs, **epoch_summary(seconds), 'test_at_budget': quality(model, split)}
    if args.quality_iterations:
        fresh = BPR(k=64, max_iter=args.quality_iterations, num_threads=args.threads, seed=2020, verbose=False)
        started = time.perf_counter()
        fresh.fit(data)
        result['quality_run'] = {'epochs': args.quality_iterations, 'seconds': time.perf_counter() - started,
                                 'test': quality(fresh, split)}
    emit(result)


if __name__ == '__main__':
    main()
