"""Speed of FastDotProductServer against a plain numpy full sort, and proof that both agree.

Two problems, top-100 for every user:

* **ML-1M**: the sizes and exclusions of MovieLens 1M ratings >= 3 (the given 8:1:1
  split, ``openrec2.datasets.load_ml1m_ratings3``): 6,039 users x 3,628 items; each
  user's training and validation items are excluded. Factors come from a short BPR
  training (``--bpr-steps`` batches of 1024 triples, d=``--dim``) read with
  ``FastDotProductServer.from_model``; ``--ml1m-factors random`` uses random factors.
* **1M items**: ``--users`` (10,000) users x 1,000,000 items, d=64, random Gaussian
  float32 factors and item biases, 50 random excluded items per user. The full sort of
  a million scores per user is slow, so the baseline runs on the first
  ``--baseline-users`` users and its time is scaled to all users (marked in the table);
  the agreement check covers those users.

The baseline scores a block of users against all items (one matmul), sets the excluded
items to ``-inf`` and takes ``np.argsort(-scores, kind='stable')[:, :k]`` (a stable sort,
so ties go to the lower item id, the rule the server follows). "identical" means equal
item ids and equal scores for every checked user; the largest score difference is
printed as well.

Run: ``OPENREC2_DATA=../shared/datasets python benchmarks/fast_dot_product_server.py``
(``--skip-1m`` for the ML-1M row only).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

from openrec2.datasets import load_ml1m_ratings3
from openrec2.recommenders import BPR
from openrec2.utils import FastDotProductServer
from openrec2.utils.item_lists import ItemLists
from openrec2.utils.samplers import PairwiseSampler

K = 100


def argsort_top_k(server: FastDotProductServer, users: np.ndarray, k: int, block: int) -> tuple:
    """The baseline: per block of users, all scores, exclusions at -inf, a stable full argsort."""
    items_out = np.empty((users.size, k), dtype=np.int64)
    scores_out = np.empty((users.size, k), dtype=server.item_factors.dtype)
    for start in range(0, users.size, block):
        rows = users[start:start + block]
        scores = server.user_factors[rows] @ server.item_factors.T
        if server.item_biases is not None:
            scores += server.item_biases
        positions, excluded = server.excluded_items.take(rows)
        scores[positions, excluded] = -np.inf
        order = np.argsort(-scores, axis=1, kind='stable')[:, :k]
        values = np.take_along_axis(scores, order, axis=1)
        items_out[start:start + rows.size] = np.where(values == -np.inf, -1, order)
        scores_out[start:start + rows.size] = values
    return items_out, scores_out


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def bpr_server(split, steps: int, dim: int, threads: int) -> FastDotProductServer:
    """Factors of a BPR trained for ``steps`` batches, served with train+valid excluded."""
    model = BPR(batch_size=1024, max_user=split.max_user, max_item=split.max_item, dim_embed=dim, lr=0.005,
                l2_reg=1e-5, seed=0)
    with model, PairwiseSampler(split.train, batch_size=1024, seed=0) as sampler:
        for _ in range(steps):
            model.train(next(sampler))
        return FastDotProductServer.from_model(model, excluded_items=[split.train, split.validation],
                                               num_threads=threads)


def random_factors(rng, users: int, items: int, dim: int):
    scale = 1.0 / np.sqrt(dim)
    return (rng.standard_normal((users, dim), dtype=np.float32) * scale,
            rng.standard_normal((items, dim), dtype=np.float32) * scale,
            rng.standard_normal(items, dtype=np.float32) * 0.1)


def ml1m_server(args) -> tuple[FastDotProductServer, str]:
    split = load_ml1m_ratings3()
    if args.ml1m_factors == 'bpr':
        start = time.perf_counter()
        server = bpr_server(split, args.bpr_steps, args.dim, args.threads)
        return server, f'BPR, {args.bpr_steps} steps x 1024 ({time.perf_counter() - start:.0f} s)'
    users, items, biases = random_factors(np.random.default_rng(0), split.max_user, split.max_item, args.dim)
    server = FastDotProductServer(users, items, biases, excluded_items=[split.train, split.validation],
                                  num_threads=args.threads)
    return server, 'random'


def million_items_server(args) -> FastDotProductServer:
    rng = np.random.default_rng(1)
    users, items, biases = random_factors(rng, args.users, 1_000_000, 64)
    excluded_rows = np.repeat(np.arange(args.users), 50)
    excluded = ItemLists.from_pairs(excluded_rows, rng.integers(0, 1_000_000, excluded_rows.size), args.users,
                                    num_items=1_000_000)
    return FastDotProductServer(users, items, biases, excluded_items=excluded, num_threads=args.threads)


def compare(server: FastDotProductServer, name: str, factors: str, baseline_users: int, args) -> dict:
    """Time the server on every user and the baseline on the first ``baseline_users``."""
    users = np.arange(server.num_users)
    server_seconds, (top_items, top_scores) = timed(lambda: server.recommend(users, k=K))
    checked = users[:baseline_users]
    base_seconds, (base_items, base_scores) = timed(lambda: argsort_top_k(server, checked, K, args.baseline_block))
    scaled = base_seconds * users.size / checked.size
    same_rows = np.all(top_items[:checked.size] == base_items, axis=1) & np.all(
        top_scores[:checked.size] == base_scores, axis=1)
    finite = np.isfinite(base_scores)
    return dict(name=name, factors=factors, users=users.size, items=server.num_items, dim=server.dim,
                server=server_seconds, argsort=scaled, measured_on=checked.size,
                identical=f'{int(same_rows.sum())}/{checked.size} users',
                max_diff=float(np.abs(top_scores[:checked.size][finite] - base_scores[finite]).max()))


def print_table(rows: list, args) -> None:
    print(f'\nTop-{K} for every user; {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, '
          f'load average {os.getloadavg()[0]:.1f} at the end; server threads={args.threads}, '
          f'item_chunk_size=32768, user_block_size=256.\n')
    print('| problem | factors | users | items | d | k | server (s) | full argsort (s) | speed-up | identical |')
    print('|---|---|---|---|---|---|---|---|---|---|')
    for row in rows:
        scaled = '' if row['measured_on'] == row['users'] else f' (x{row["users"] / row["measured_on"]:g} from ' \
                                                               f'{row["measured_on"]} users)'
        print(f'| {row["name"]} | {row["factors"]} | {row["users"]:,} | {row["items"]:,} | {row["dim"]} | {K} | '
              f'{row["server"]:.2f} | {row["argsort"]:.2f}{scaled} | {row["argsort"] / row["server"]:.1f}x | '
              f'{row["identical"]} (max score diff {row["max_diff"]:.1g}) |')


def main() -> None:
    """Run the benchmark and print its markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ml1m-factors', choices=['bpr', 'random'], default='bpr')
    parser.add_argument('--bpr-steps', type=int, default=300, help='BPR training batches for the ML-1M factors')
    parser.add_argument('--dim', type=int, default=64, help='factor width of the ML-1M problem')
    parser.add_argument('--users', type=int, default=10_000, help='users of the 1M-item problem')
    parser.add_argument('--baseline-users', type=int, default=200,
                        help='users the full argsort runs on in the 1M-item problem (time scaled to all)')
    parser.add_argument('--baseline-block', type=int, default=32, help='users per matmul in the baseline')
    parser.add_argument('--threads', type=int, default=os.cpu_count() or 1, help='server threads')
    parser.add_argument('--skip-1m', action='store_true', help='only the ML-1M problem')
    args = parser.parse_args()

    server, factors = ml1m_server(args)
    rows = [compare(server, 'ML-1M (train+valid excluded)', factors, server.num_users, args)]
    if not args.skip_1m:
        server = million_items_server(args)
        rows.append(compare(server, '1M items (50 excluded/user)', 'random', args.baseline_users, args))
    print_table(rows, args)


if __name__ == '__main__':
    main()
