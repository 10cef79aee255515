"""A BPR training epoch at scale: triples per second and peak RSS at 10M and 100M interactions.

What it measures. For each ``--interactions`` size (default 10M and 100M) over
``--users`` x ``--items`` (default 1M x 1M) it generates the skewed rows of
:mod:`dataset_scale` (power-law users and items, duplicates kept), then, in a fresh Python
process per size (so that each reports its own peak RSS):

* builds the ``ImplicitDataset`` and the ``PairwiseSampler`` (timed apart);
* draws one epoch of batches from the sampler alone, untrained (how fast the input path is
  by itself: the training epoch cannot be faster);
* builds BPR (d=``--dim``, lazy Adam with the fused kernel, batch ``--batch``) over the
  full 1M x 1M tables;
* trains ``--warmup`` iterations untimed (graph warm-up, the kernel's first call), then
  ``--epochs`` whole epochs through ``ModelTrainer.train`` (the public path: sampler
  threads, the training loop, no evaluation), timed.

It prints triples per second of the epoch (sampling included), the seconds per million
interactions at each size and their ratio, and a verdict against issue 16's target 4:
an epoch at >= 2x 444K triples/s (the figure measured before the work), peak RSS
<= 10 GB, and per-interaction epoch time within 10% between 10M and 100M.

Usage (from the project root)::

    python benchmarks/scale_epoch.py                          # 10M and 100M, ~7 minutes
    python benchmarks/scale_epoch.py --sizes 200K,1M --users 100K --items 100K  # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from dataset_scale import child_json, load_rows, parse_count, peak_rss_gb, spawn  # noqa: E402

BEFORE_TRIPLES_PER_SECOND = 444_000
TARGET_SPEEDUP = 2.0
TARGET_RSS_GB = 10.0
TARGET_SCALING = 0.10


def run_epoch(path: str, users: int, items: int, dim: int, batch: int, warmup: int, epochs: int) -> dict:
    """Build the data and the model from the rows at ``path``, train, return the figures."""
    from openrec2 import ModelTrainer
    from openrec2.recommenders import BPR
    from openrec2.utils.dataset import ImplicitDataset
    from openrec2.utils.samplers import PairwiseSampler
    rows = load_rows(path)
    started = time.perf_counter()
    dataset = ImplicitDataset(rows, users, items, name='scale')
    del rows
    built = time.perf_counter()
    result = {'build_seconds': built - started, 'positives': dataset.num_positives}
    with BPR(batch_size=batch, max_user=users, max_item=items, dim_embed=dim, opt='Adam', lr=1e-3,
             seed=0) as model, PairwiseSampler(dataset, batch, seed=0) as sampler:
        result['sampler_seconds'] = time.perf_counter() - built
        per_epoch = sampler.batches_per_epoch
        started = time.perf_counter()
        for _ in range(per_epoch):  # the sampler alone: an epoch of batches drawn and not trained on
            sampler.next_batch()
        result['sampling_epoch_seconds'] = time.perf_counter() - started
        trainer = ModelTrainer(model, progress=False, verbose=False)
        trainer.train(total_iter=warmup, eval_iter=0, save_iter=0, train_sampler=sampler)
        started = time.perf_counter()
        trainer.train(total_iter=warmup + epochs * per_epoch, eval_iter=0, save_iter=0, train_sampler=sampler)
        seconds = time.perf_counter() - started
    triples = epochs * per_epoch * batch
    result.update(epoch_seconds=seconds / epochs, triples_per_second=triples / seconds,
                  batches_per_epoch=per_epoch, peak_rss_gb=peak_rss_gb())
    return result


def spawn_epoch(path: str, args: argparse.Namespace) -> dict:
    """:func:`run_epoch` in a fresh interpreter (its own peak RSS); its JSON line."""
    return child_json(__file__, ['--phase', 'epoch', '--file', path, '--users', str(args.users),
                                 '--items', str(args.items), '--dim', str(args.dim), '--batch', str(args.batch),
                                 '--warmup', str(args.warmup), '--epochs', str(args.epochs)])


def main() -> None:
    """Generate each size, train its epoch in a child, print the table and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', default='10M,100M', help='comma-separated interaction counts')
    parser.add_argument('--users', type=parse_count, default=parse_count('1M'))
    parser.add_argument('--items', type=parse_count, default=parse_count('1M'))
    parser.add_argument('--dim', type=int, default=64)
    parser.add_argument('--batch', type=int, default=4096)
    parser.add_argument('--warmup', type=int, default=50, help='untimed iterations before the epochs')
    parser.add_argument('--epochs', type=int, default=1)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--phase', choices=['epoch'], help=argparse.SUPPRESS)
    parser.add_argument('--file', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_epoch(args.file, args.users, args.items, args.dim, args.batch, args.warmup,
                                   args.epochs)))
        return

    load_before = os.getloadavg()
    sizes = [parse_count(size) for size in args.sizes.split(',')]
    results = {}
    with tempfile.TemporaryDirectory(prefix='scale_epoch_') as folder:
        for size in sizes:
            path = os.path.join(folder, f'rows-{size}.npy')
            spawn('generate', path, args.users, args.items, size, args.seed)
            results[size] = spawn_epoch(path, args)
            os.remove(path)
            r = results[size]
            print(f'# {size:,} rows: build {r["build_seconds"]:.1f} s, epoch {r["epoch_seconds"]:.1f} s, '
                  f'{r["triples_per_second"]:,.0f} triples/s, peak RSS {r["peak_rss_gb"]:.2f} GB', flush=True)
    load_after = os.getloadavg()
    print(f'# {time.strftime("%Y-%m-%d")}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, '
          f'load average {load_before[0]:.2f} before / {load_after[0]:.2f} after; BPR d={args.dim}, '
          f'batch {args.batch}, {args.users:,} x {args.items:,} tables')
    print('| interactions | positives | build (s) | sampler (s) | sampling alone (s) | epoch (s) | triples/s '
          '| s per 1M positives | peak RSS (GB) |')
    print('|---|---|---|---|---|---|---|---|---|')
    per_million = {}
    for size, r in results.items():
        per_million[size] = r['epoch_seconds'] / (r['positives'] / 1e6)
        print(f'| {size:,} | {r["positives"]:,} | {r["build_seconds"]:.1f} | {r["sampler_seconds"]:.1f} '
              f'| {r["sampling_epoch_seconds"]:.1f} | {r["epoch_seconds"]:.1f} | {r["triples_per_second"]:,.0f} '
              f'| {per_million[size]:.3f} | {r["peak_rss_gb"]:.2f} |')
    largest = results[max(sizes)]
    speedup = largest['triples_per_second'] / BEFORE_TRIPLES_PER_SECOND
    scaling = per_million[max(sizes)] / per_million[min(sizes)] - 1.0 if len(sizes) > 1 else 0.0
    print(f'speed-up over {BEFORE_TRIPLES_PER_SECOND:,} triples/s: {speedup:.2f}x (target {TARGET_SPEEDUP:g}x); '
          f'per-interaction epoch time {max(sizes):,} vs {min(sizes):,}: {scaling:+.1%} '
          f'(target within {TARGET_SCALING:.0%}); peak RSS {largest["peak_rss_gb"]:.2f} GB')
    ok = speedup >= TARGET_SPEEDUP and abs(scaling) <= TARGET_SCALING and largest['peak_rss_gb'] <= TARGET_RSS_GB
    print(f'verdict: {"PASS" if ok else "FAIL"}')


if __name__ == '__main__':
    main()
