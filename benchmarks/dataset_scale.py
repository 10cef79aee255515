"""Building a dataset at scale: the ``ImplicitDataset`` build against one ``np.sort`` of its key.

What it measures. It generates ``--interactions`` (default 100M) implicit interactions
over ``--users`` x ``--items`` (default 1M x 1M) with a seeded numpy generator and a
realistic skew: item popularity and user activity follow power laws (rank ``r`` drawn
with probability about ``r ** -s``, ``s`` = 0.9 for items, 0.5 for users; ids then
shuffled so that popular ids are spread out), so popular items repeat within active
users and the data has duplicate pairs, as logged clicks do. The rows are a plain
``make_interactions`` array (int64 ``user_id`` / ``item_id``), written once to a
temporary ``.npy`` file (by a child process). Then, for ``--repeats`` rounds, interleaved, each phase in
its own fresh Python process (so that each reports its own peak RSS):

* ``sort``: the reference, one ``np.sort`` of the int64 key ``user * n_items + item``
  (the key is computed before the clock starts);
* ``build``: ``ImplicitDataset(rows, n_users, n_items)`` (validation, positive
  selection, de-duplication, the CSR positive index, item popularity), then the
  construction of a ``PairwiseSampler`` over it (it reads the positive index; no batch
  is drawn, no training).

Each process loads the rows from the file first (not timed); the peak RSS it reports
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``) includes those rows. The script prints
the median seconds of each phase, the ratio build / sort and a verdict against the
issue-16 target (build within 10x of the sort, peak RSS within 10 GB), with the load
average of the machine before and after.

Usage (from the project root)::

    python benchmarks/dataset_scale.py                      # 100M interactions, ~6 GB RAM
    python benchmarks/dataset_scale.py --interactions 10M   # a quick run
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

TARGET_RATIO = 10.0
TARGET_RSS_GB = 10.0
ITEM_SKEW = 0.9
USER_SKEW = 0.5


def parse_count(text: str) -> int:
    """``'100M'`` -> 100_000_000, ``'10k'`` -> 10_000, ``'12345'`` -> 12345."""
    text = text.strip().upper().replace('_', '')
    scale = {'K': 10**3, 'M': 10**6, 'G': 10**9}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def power_law_ids(rng: np.random.Generator, count: int, size: int, skew: float) -> np.ndarray:
    """``count`` ids in ``[0, size)`` whose popularity ranks follow ``rank ** -skew``.

    Inverse-transform sampling of the continuous power law on ``[1, size + 1)``, then a
    seeded random relabelling, so that the most popular ids are not the smallest.
    """
    ids = rng.random(count)
    exponent = 1.0 - skew
    top = (size + 1.0) ** exponent
    ids *= top - 1.0
    ids += 1.0
    np.power(ids, 1.0 / exponent, out=ids)
    ids -= 1.0
    ranks = ids.astype(np.int64)
    del ids
    np.minimum(ranks, size - 1, out=ranks)
    relabel = rng.permutation(size).astype(np.int64)
    return relabel[ranks]


def generate(path: str, interactions: int, users: int, items: int, seed: int) -> dict:
    """Write the benchmark rows to ``path`` (a ``.npy`` structured array); return stats."""
    from openrec2.utils.dataset import make_interactions
    rng = np.random.default_rng(seed)
    user_ids = power_law_ids(rng, interactions, users, USER_SKEW)
    item_ids = power_law_ids(rng, interactions, items, ITEM_SKEW)
    rows = make_interactions(user_ids, item_ids)
    del user_ids, item_ids
    np.save(path, rows)
    return {'rows': int(rows.size)}


def peak_rss_gb() -> float:
    """Peak resident set size of this process in GB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6


def load_rows(path: str) -> np.ndarray:
    """Read the ``.npy`` rows straight into one array (``np.load`` may hold a second copy
    of a large file while it reads, which would inflate the peak RSS measured here)."""
    with open(path, 'rb') as handle:
        version = np.lib.format.read_magic(handle)
        read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                       else np.lib.format.read_array_header_2_0)
        shape, _, dtype = read_header(handle)
        return np.fromfile(handle, dtype=dtype, count=int(np.prod(shape)))


def run_phase(phase: str, path: str, users: int, items: int, interactions: int = 0, seed: int = 0) -> dict:
    """Run one phase in this process and return its timings and peak RSS."""
    if phase == 'generate':
        generate(path, interactions, users, items, seed)
        return {'phase': phase, 'peak_rss_gb': peak_rss_gb()}
    rows = load_rows(path)
    loaded_gb = peak_rss_gb()
    result = {'phase': phase, 'loaded_rss_gb': loaded_gb}
    if phase == 'sort':
        key = rows['user_id'] * items + rows['item_id']
        del rows
        start = time.perf_counter()
        np.sort(key)
        result['seconds'] = time.perf_counter() - start
    else:
        from openrec2.utils.dataset import ImplicitDataset
        from openrec2.utils.samplers import PairwiseSampler
        start = time.perf_counter()
        dataset = ImplicitDataset(rows, users, items, name='scale')
        built = time.perf_counter()
        sampler = PairwiseSampler(dataset, batch_size=4096, seed=0)
        result['dataset_seconds'] = built - start
        result['sampler_seconds'] = time.perf_counter() - built
        result['seconds'] = time.perf_counter() - start
        result['positives'] = dataset.num_positives
        sampler.close()
    result['peak_rss_gb'] = peak_rss_gb()
    return result


def spawn(phase: str, path: str, users: int, items: int, interactions: int = 0, seed: int = 0) -> dict:
    """Run one phase in a fresh interpreter and parse its JSON line.

    Every phase, generation included, runs in a child: Linux carries the peak RSS of
    the process that starts a child over into the child's ``ru_maxrss``, so this
    process must stay small for the children's figures to be their own.
    """
    return child_json(__file__, ['--phase', phase, '--file', path, '--users', str(users), '--items', str(items),
                                 '--interactions', str(interactions), '--seed', str(seed)])


def child_json(script: str, arguments: list) -> dict:
    """Run ``script`` with ``arguments`` in a fresh interpreter; the JSON of its last output line."""
    out = subprocess.run([sys.executable, script, *arguments], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate the rows, time the phases interleaved, print the table and the verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--interactions', type=parse_count, default=parse_count('100M'))
    parser.add_argument('--users', type=parse_count, default=parse_count('1M'))
    parser.add_argument('--items', type=parse_count, default=parse_count('1M'))
    parser.add_argument('--repeats', type=int, default=3, help='interleaved rounds (medians reported)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--phase', choices=['generate', 'sort', 'build'], help=argparse.SUPPRESS)
    parser.add_argument('--file', help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.file, args.users, args.items, args.interactions, args.seed)))
        return

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix='dataset_scale_') as folder:
        path = os.path.join(folder, 'rows.npy')
        start = time.perf_counter()
        spawn('generate', path, args.users, args.items, args.interactions, args.seed)
        print(f'# generated {args.interactions:,} rows over {args.users:,} x {args.items:,} '
              f'in {time.perf_counter() - start:.1f} s', flush=True)
        results = {'sort': [], 'build': []}
        for round_index in range(args.repeats):
            order = ('sort', 'build') if round_index % 2 == 0 else ('build', 'sort')
            for phase in order:
                results[phase].append(spawn(phase, path, args.users, args.items))
                r = results[phase][-1]
                print(f'#   round {round_index + 1} {phase}: {r["seconds"]:.2f} s, '
                      f'peak RSS {r["peak_rss_gb"]:.2f} GB', flush=True)
    load_after = os.getloadavg()

    def median(phase: str, field: str) -> float:
        return statistics.median(r[field] for r in results[phase])

    sort_s, build_s = median('sort', 'seconds'), median('build', 'seconds')
    ratio = build_s / sort_s
    rss = max(r['peak_rss_gb'] for r in results['build'])
    print(f'# {time.strftime("%Y-%m-%d")}, {platform.processor() or platform.machine()}, {os.cpu_count()} cores, '
          f'numpy {np.__version__}, load average {load_before[0]:.2f} before / {load_after[0]:.2f} after, '
          f'{args.repeats} interleaved rounds, medians')
    print(f'# {results["build"][0]["positives"]:,} distinct positive pairs of {args.interactions:,} rows')
    print('| interactions | np.sort of key (s) | Dataset build (s) | PairwiseSampler (s) | build total (s) '
          '| ratio build / sort | peak RSS build (GB) | peak RSS sort (GB) | rows loaded (GB) |')
    print('|---|---|---|---|---|---|---|---|---|')
    print(f'| {args.interactions:,} | {sort_s:.2f} | {median("build", "dataset_seconds"):.2f} '
          f'| {median("build", "sampler_seconds"):.2f} | {build_s:.2f} | {ratio:.2f} | {rss:.2f} '
          f'| {max(r["peak_rss_gb"] for r in results["sort"]):.2f} '
          f'| {results["build"][0]["loaded_rss_gb"]:.2f} |')
    ok = ratio <= TARGET_RATIO and rss <= TARGET_RSS_GB
    print(f'verdict: {"PASS" if ok else "FAIL"} (target: build <= {TARGET_RATIO:g}x sort, '
          f'peak RSS <= {TARGET_RSS_GB:g} GB)')


if __name__ == '__main__':
    main()
