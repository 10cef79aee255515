"""BPR training throughput: (user, positive, negative) triples per second.

For each table size and batch size, build BPR with the default optimiser (the lazy,
sparse Adam, whose sparse step is the fused kernel of ``openrec2/ops`` when it could be
compiled; the header says which), warm up, then time several runs of ``--steps`` training steps on
pre-sampled random batches and report the median triples per second. Batches are
made before timing so that the figure is the model's, not the sampler's (see
``benchmarks/sampler_throughput.py`` for that).

Usage:
    python benchmarks/bpr_throughput.py [--sizes ml-1m 1m] [--batches 1024 4096 16384]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from openrec2.recommenders import BPR  # noqa: E402
from openrec2.recommenders.optimizers import LazyAdamOptimizer  # noqa: E402

#: Table sizes: name -> (users, items).
SIZES = {"ml-1m": (6040, 3706), "1m": (1_000_000, 1_000_000)}
DIM = 64


def random_batches(rng: np.random.Generator, users: int, items: int, batch_size: int, count: int):
    """Pre-sample ``count`` uniform training batches."""
    return [{"user_id": rng.integers(0, users, batch_size, dtype=np.int32),
             "p_item_id": rng.integers(0, items, batch_size, dtype=np.int32),
             "n_item_id": rng.integers(0, items, batch_size, dtype=np.int32)} for _ in range(count)]


def measure(users: int, items: int, batch_size: int, steps: int, runs: int, warmup: int) -> float:
    """Median triples per second of BPR training steps on one configuration."""
    rng = np.random.default_rng(0)
    batches = random_batches(rng, users, items, batch_size, steps)
    with BPR(batch_size=batch_size, max_user=users, max_item=items, dim_embed=DIM, seed=0) as model:
        for index in range(warmup):
            model.train(batches[index % steps])
        rates = []
        for _ in range(runs):
            start = time.perf_counter()
            for batch in batches:
                model.train(batch)
            rates.append(batch_size * steps / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    parser.add_argument("--batches", nargs="+", type=int, default=[1024, 4096, 16384])
    parser.add_argument("--steps", type=int, default=50, help="steps per timed run")
    parser.add_argument("--runs", type=int, default=5, help="timed runs (median reported)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed steps first")
    args = parser.parse_args()
    kernel = "fused kernel" if LazyAdamOptimizer(1e-3).uses_fused_kernel else "TensorFlow ops, no fused kernel"
    print(f"# BPR d={DIM}, optimiser Adam (lazy sparse, {kernel}), {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print("| tables (users x items) | batch | triples/s (median) |")
    print("|---|---|---|")
    for size in args.sizes:
        users, items = SIZES[size]
        for batch_size in args.batches:
            rate = measure(users, items, batch_size, args.steps, args.runs, args.warmup)
            print(f"| {users:,} x {items:,} | {batch_size} | {rate:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
