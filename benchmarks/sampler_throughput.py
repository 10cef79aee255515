"""Throughput of the training samplers (triples or rows per second).

Run from the project root with the data home set, e.g.::

    OPENREC2_DATA=../shared/datasets python benchmarks/sampler_throughput.py

It times each sampler on the ML-1M ratings >= 3 training split (590,733 positives,
6,039 users, 3,628 items) at batch size 4096, single- and two-threaded, and prints a
table. With no data home it falls back to a synthetic dataset of the same size.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from openrec2.errors import DataFileNotFoundError
from openrec2.utils.dataset import ImplicitDataset, make_interactions
from openrec2.utils.samplers import (NPairwiseSampler, PairwiseSampler, RandomPointwiseSampler,
                                     StratifiedPointwiseSampler)


def ml1m_train() -> tuple[ImplicitDataset, str]:
    """The ML-1M ratings3 training set, or a synthetic one of the same size without data."""
    from openrec2.datasets import load_ml1m_ratings3
    try:
        return load_ml1m_ratings3().train, 'ml-1m ratings3 train'
    except DataFileNotFoundError:
        rng = np.random.default_rng(0)
        keys = np.unique(rng.integers(0, 6039 * 3628, size=600_000))
        return (ImplicitDataset(make_interactions(keys // 3628, keys % 3628), 6039, 3628),
                'synthetic, ML-1M size')


def rows_per_second(sampler, n_batches: int) -> float:
    """Rows delivered per second over ``n_batches`` batches (after one warm-up batch)."""
    with sampler:
        sampler.next_batch()
        start = time.perf_counter()
        for _ in range(n_batches):
            sampler.next_batch()
        elapsed = time.perf_counter() - start
    return n_batches * sampler.batch_size / elapsed


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--batch-size', type=int, default=4096)
    parser.add_argument('--batches', type=int, default=300)
    args = parser.parse_args()
    dataset, label = ml1m_train()
    print(f'dataset: {label} ({dataset.num_positives:,} positives), batch size {args.batch_size}, '
          f'{args.batches} batches, {platform.processor() or platform.machine()}, '
          f'numpy {np.__version__}, {time.strftime("%Y-%m-%d")}')
    print('| sampler | threads | rows/s |\n|---|---|---|')
    cases = [('PairwiseSampler (interaction)', lambda p: PairwiseSampler(dataset, args.batch_size, num_process=p)),
             ('PairwiseSampler (user)', lambda p: PairwiseSampler(dataset, args.batch_size, num_process=p,
                                                                  mode='user')),
             ('NPairwiseSampler (5 negatives)', lambda p: NPairwiseSampler(dataset, args.batch_size,
                                                                           num_process=p)),
             ('StratifiedPointwiseSampler', lambda p: StratifiedPointwiseSampler(dataset, args.batch_size,
                                                                                 num_process=p)),
             ('RandomPointwiseSampler', lambda p: RandomPointwiseSampler(dataset, args.batch_size,
                                                                         num_process=p))]
    for name, make in cases:
        for threads in (1, 2):
            print(f'| {name} | {threads} | {rows_per_second(make(threads), args.batches):,.0f} |')


if __name__ == '__main__':
    main()
