"""BPR on ML-1M ratings >= 3 in openrec2, implicit, RecBole and Cornac: s/epoch and test quality.

What it measures: seconds per training epoch (sampling included, set-up and evaluation
excluded) of BPR with d=64 on the same training split for every system, the ratio of
each to openrec2, and test Recall@10 / NDCG@10 by full ranking excluding the user's
training + validation items, computed with openrec2's metric definitions for all (the
other libraries' factors are scored by ``compare_runners/full_ranking.py``, openrec2's
by its own evaluators).

Data: ``load_ml1m_ratings3(split='random', ratios=(0.8, 0.1, 0.1), seed=2020)``, the
RecBole protocol of ``benchmarks/bpr_ml1m.py``, written to a temporary folder as
``split.npz`` and RecBole atomic files (``ml/ml.{train,valid,test}.inter``, read in
RecBole's ``benchmark_filename`` mode so it re-splits nothing).

Systems and settings:

* openrec2: ``benchmarks/bpr_ml1m.py``'s ``run()`` (PairwiseSampler + ModelTrainer, lazy
  Adam lr 1e-3, batch 4096, no L2) with ``max_epochs=--epochs`` and no early stop; its
  s/epoch is the trainer's training time / epochs (a mean: ``run()`` reports no per-epoch
  times), and its test metrics are those of the best validation epoch within the budget.
* implicit (``compare_runners/implicit_runner.py``): ``BayesianPersonalizedRanking`` with
  its defaults (SGD lr 0.01, reg 0.01) except factors=64 and 2 threads; ``fit`` keeps the
  factors of the previous call, so each timed epoch is one ``fit(iterations=1)``.
* Cornac (``compare_runners/cornac_runner.py``): ``BPR`` with its defaults (SGD lr 0.001,
  lambda_reg 0.01) except k=64 and 2 threads; ``fit`` also continues, one epoch per call.
* RecBole (``compare_runners/recbole_runner.py``): ``BPR``, d=64, batch 4096, Adam lr
  1e-3; each timed epoch is one ``Trainer._train_epoch`` (its data loader's negative
  sampling included).

The three libraries run in a separate virtualenv (never a dependency of openrec2), each
as a subprocess of that venv's python; a library missing there is skipped with its
import error. Timing uses the ``--epochs`` budget for all. Quality at that budget is
reported for all; the libraries with SGD defaults (implicit, Cornac) also get a separate
quality run of ``--quality-iterations`` epochs (their default 100), and
``--recbole-quality-epochs N`` / ``--openrec2-quality`` add early-stopped runs (patience
10 on validation NDCG@10) of RecBole and openrec2. ``--repeats R`` runs the systems
R times interleaved (openrec2, implicit, RecBole, Cornac, openrec2, ...); the s/epoch
shown is the median over all timed epochs of a system (openrec2: median of its
per-repeat means). The machine is shared: report ``uptime`` with the numbers.

Run (from openrec2's venv)::

    OPENREC2_DATA=../shared/datasets python benchmarks/compare.py --epochs 10 \\
        [--other-python /work/bench_venv/bin/python] [--repeats 2] [--json out.json]

The separate venv (what worked here, Python 3.11, CPU only)::

    python3 -m venv /work/bench_venv
    /work/bench_venv/bin/pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
    /work/bench_venv/bin/pip install "numpy<2" implicit==0.7.3 recbole==1.2.1 "pandas==2.2.3" \\
        "setuptools<81" scipy
    /work/bench_venv/bin/pip install --no-deps cornac==2.2.2

Notes on those pins: RecBole 1.2.1 imports ray, whose ``pkg_resources`` import needs
setuptools < 81; RecBole's dataset code uses in-place ``fillna`` on a column, which
pandas 3's copy-on-write silently ignores, so pandas 2.2; Cornac 2.3.0's wheel needs
libstdc++ GLIBCXX_3.4.32 (GCC 13) and fails to import on older systems, 2.2.2 does not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Optional

import numpy as np

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNERS = os.path.join(HERE, 'compare_runners')
sys.path[:0] = [HERE, RUNNERS]

from bpr_ml1m import run as run_openrec2  # noqa: E402
from openrec2.datasets import load_ml1m_ratings3  # noqa: E402
from openrec2.trainer.console import metrics_table  # noqa: E402
from split_files import export_split  # noqa: E402

DEFAULT_OTHER_PYTHON = '/work/bench_venv/bin/python'
#: runner script and importable module of each other library
LIBRARIES = {'implicit': ('implicit_runner.py', 'implicit'), 'recbole': ('recbole_runner.py', 'recbole'),
             'cornac': ('cornac_runner.py', 'cornac.models')}
SYSTEM_ORDER = ['openrec2', 'implicit', 'recbole', 'cornac']
TABLE_KEYS = ['s/epoch', 'x openrec2', 'Recall@10', 'NDCG@10', 'quality epochs', 'q Recall@10', 'q NDCG@10']


def split_pairs(part) -> np.ndarray:
    """``[N, 2]`` int64 (user, item) pairs of one openrec2 dataset part."""
    rows = part.raw_data
    return np.stack([rows['user_id'], rows['item_id']], axis=1).astype(np.int64)


def export_ml1m(folder: str, data_home: Optional[str] = None) -> str:
    """Write the RecBole-protocol ML-1M split into ``folder``; return the path of ``split.npz``."""
    split = load_ml1m_ratings3(split='random', ratios=(0.8, 0.1, 0.1), seed=2020, data_home=data_home)
    return export_split(folder, split_pairs(split.train), split_pairs(split.validation), split_pairs(split.test),
                        split.max_user, split.max_item)


def parse_result(stdout: str) -> Optional[dict]:
    """The runner's ``RESULT {json}`` line (the last one), or None."""
    lines = [line for line in stdout.splitlines() if line.startswith('RESULT ')]
    return json.loads(lines[-1][len('RESULT '):]) if lines else None


def available(other_python: str, module: str) -> Optional[str]:
    """None when ``module`` imports in the other venv, else the last line of the import error."""
    probe = subprocess.run([other_python, '-c', f'import {module}'], capture_output=True, text=True)
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or ['import failed'])[-1]


def run_library(other_python: str, library: str, split_path: str, epochs: int, threads: int,
                quality_iterations: int) -> dict:
    """Run one library's runner in the other venv and return its parsed result (or an error)."""
    script = LIBRARIES[library][0]
    command = [other_python, os.path.join(RUNNERS, script), '--split', split_path, '--epochs', str(epochs), '--threads', str(threads),
               '--quality-iterations', str(quality_iterations), '--work-dir', os.path.dirname(split_path)]
    # Run in the scratch folder: RecBole writes its tensorboard logs into the working directory.
    done = subprocess.run(command, cwd=os.path.dirname(split_path), capture_output=True, text=True)
    result = parse_result(done.stdout)
    if done.returncode != 0 or result is None:
        tail = '\n'.join((done.stderr or done.stdout).strip().splitlines()[-5:])
        return {'error': f'{script} exited {done.returncode}: {tail}'}
    return result


def run_openrec2_budget(epochs: int) -> dict:
    """openrec2's BPR through bpr_ml1m.run() for exactly ``epochs`` epochs (no early stop)."""
    result = run_openrec2(max_epochs=epochs, patience=epochs + 1, verbose=False)
    test = result['test']
    return {'system': 'openrec2 BPR', 'settings': 'd=64, batch 4096, lazy Adam lr 1e-3 (bpr_ml1m.run)',
            'epochs': epochs, 'mean_s_per_epoch': result['seconds_per_epoch'],
            'test_at_budget': {'Recall@10': test['Recall@10'], 'NDCG@10': test['NDCG@10'],
                               'best_epoch': result['best_epoch']}}


def run_openrec2_quality() -> dict:
    """openrec2's early-stopped run of bpr_ml1m.run() (its defaults: 300 epochs max, patience 10)."""
    started = time.perf_counter()
    result = run_openrec2(verbose=False)
    return {'epochs': result['epochs'], 'best_epoch': result['best_epoch'],
            'seconds': time.perf_counter() - started,
            'test': {'Recall@10': result['test']['Recall@10'], 'NDCG@10': result['test']['NDCG@10']}}


def summarise(runs: list[dict]) -> dict:
    """One system's row from its repeated runs: pooled median s/epoch and the first run's quality."""
    ok = [r for r in runs if 'error' not in r]
    if not ok:
        return {'error': runs[0]['error']}
    if all(r.get('epoch_seconds') for r in ok):
        seconds = statistics.median([s for r in ok for s in r['epoch_seconds']])
    else:
        seconds = statistics.median([r['mean_s_per_epoch'] for r in ok])
    first = ok[0]
    row = {'system': first['system'], 'settings': first['settings'], 's/epoch': seconds,
           'Recall@10': first['test_at_budget']['Recall@10'], 'NDCG@10': first['test_at_budget']['NDCG@10'],
           'runs': runs}
    quality = next((r['quality_run'] for r in ok if 'quality_run' in r), None)
    if quality:
        row.update({'quality epochs': quality['epochs'], 'q Recall@10': quality['test']['Recall@10'],
                    'q NDCG@10': quality['test']['NDCG@10']})
    return row


def markdown_table(rows: dict) -> str:
    """The result rows as a markdown table (the README's form)."""
    lines = ['| system | s/epoch | x openrec2 | test Recall@10 | test NDCG@10 | quality run: epochs, Recall@10, '
             'NDCG@10 |', '|---|---|---|---|---|---|']
    for name, row in rows.items():
        if 'error' in row:
            lines.append(f'| {name} | skipped: {row["error"]} | | | | |')
            continue
        quality = (f'{row["quality epochs"]}, {row["q Recall@10"]:.4f}, {row["q NDCG@10"]:.4f}'
                   if 'quality epochs' in row else '')
        ratio = f'{row["x openrec2"]:.2f}' if row.get('x openrec2') is not None else ''
        lines.append(f'| {row["system"]} | {row["s/epoch"]:.3f} | {ratio} | {row["Recall@10"]:.4f} | '
                     f'{row["NDCG@10"]:.4f} | {quality} |')
    return '\n'.join(lines)


def compare(epochs: int = 10, other_python: Optional[str] = DEFAULT_OTHER_PYTHON, systems=tuple(SYSTEM_ORDER),
            repeats: int = 1, threads: int = 2, quality_iterations: int = 100, recbole_quality_epochs: int = 0,
            openrec2_quality: bool = False, data_home: Optional[str] = None) -> dict:
    """Run the comparison and return ``{'rows': {system: row}, 'skipped': {...}, 'uptime': ...}``.

    Args:
        epochs: Timed epochs of every system per repeat.
        other_python: Python of the separate venv (None or missing: the other libraries are skipped).
        systems: Subset of ``'openrec2', 'implicit', 'recbole', 'cornac'``.
        repeats: Interleaved repetitions of the whole sequence.
        threads: Threads of the other libraries.
        quality_iterations: Epochs of implicit's and Cornac's separate quality runs (0: none).
        recbole_quality_epochs: Epoch limit of RecBole's early-stopped quality run (0: none).
        openrec2_quality: Add openrec2's early-stopped quality run.
        data_home: Data home override.

    Raises:
        ValueError: An unknown system or a non-positive budget.
    """
    unknown = sorted(set(systems) - set(SYSTEM_ORDER))
    if unknown:
        raise ValueError(f'compare: unknown systems {unknown}; valid: {SYSTEM_ORDER}.')
    if epochs < 1 or repeats < 1:
        raise ValueError(f'compare: epochs ({epochs}) and repeats ({repeats}) must be >= 1.')
    systems = [s for s in SYSTEM_ORDER if s in systems]
    skipped = {}
    if other_python is None or not os.path.exists(other_python):
        for library in [s for s in systems if s in LIBRARIES]:
            skipped[library] = f'no other venv python ({other_python!r}); pass --other-python'
    else:
        for library in [s for s in systems if s in LIBRARIES]:
            error = available(other_python, LIBRARIES[library][1])
            if error:
                skipped[library] = f'{LIBRARIES[library][1]} does not import in {other_python}: {error}'
    active = [s for s in systems if s not in skipped]
    runs = {s: [] for s in active}
    with tempfile.TemporaryDirectory(prefix='openrec2-compare-') as folder:
        split_path = export_ml1m(folder, data_home)
        for repeat in range(repeats):
            for system in active:
                if system == 'openrec2':
                    runs[system].append(run_openrec2_budget(epochs))
                    continue
                quality = 0 if repeat else (recbole_quality_epochs if system == 'recbole' else quality_iterations)
                runs[system].append(run_library(other_python, system, split_path, epochs, threads, quality))
    if openrec2_quality and 'openrec2' in runs:
        runs['openrec2'][0]['quality_run'] = run_openrec2_quality()
    rows = {system: summarise(system_runs) for system, system_runs in runs.items()}
    base = rows.get('openrec2', {}).get('s/epoch')
    for row in rows.values():
        if 'error' not in row:
            row['x openrec2'] = row['s/epoch'] / base if base else None
    rows.update({system: {'error': reason} for system, reason in skipped.items()})
    uptime = subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()
    return {'rows': rows, 'epochs': epochs, 'repeats': repeats, 'uptime': uptime,
            'machine': f'{platform.machine()}, {os.cpu_count()} cores', 'date': time.strftime('%Y-%m-%d')}


def main() -> None:
    """Parse the command line, run the comparison, print the table and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--epochs', type=int, default=10, help='timed epochs per system and repeat')
    parser.add_argument('--other-python', default=DEFAULT_OTHER_PYTHON if os.path.exists(DEFAULT_OTHER_PYTHON)
                        else None, help='python of the venv with implicit / RecBole / Cornac')
    parser.add_argument('--systems', default=','.join(SYSTEM_ORDER), help='comma-separated subset')
    parser.add_argument('--repeats', type=int, default=1, help='interleaved repetitions')
    parser.add_argument('--threads', type=int, default=2, help='threads of the other libraries')
    parser.add_argument('--quality-iterations', type=int, default=100,
                        help="epochs of implicit's and Cornac's separate quality runs (0: none)")
    parser.add_argument('--recbole-quality-epochs', type=int, default=0,
                        help="epoch limit of RecBole's early-stopped quality run (0: none)")
    parser.add_argument('--openrec2-quality', action='store_true', help="add openrec2's early-stopped run")
    parser.add_argument('--json', default=None, help='write the results here')
    args = parser.parse_args()
    if args.other_python is None:
        print(f'no {DEFAULT_OTHER_PYTHON}: implicit, RecBole and Cornac are skipped (pass --other-python)')
    uptime_before = subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()
    result = compare(epochs=args.epochs, other_python=args.other_python, systems=args.systems.split(','),
                     repeats=args.repeats, threads=args.threads, quality_iterations=args.quality_iterations,
                     recbole_quality_epochs=args.recbole_quality_epochs, openrec2_quality=args.openrec2_quality)
    result['uptime_before'] = uptime_before
    rows = result['rows']
    print(f'\nBPR d=64 on ML-1M ratings>=3 (RecBole protocol, random 8:1:1, seed 2020); {result["epochs"]} timed '
          f'epochs x {result["repeats"]} repeats; {result["machine"]}')
    print(f'load before: {uptime_before}\nload after:  {result["uptime"]}\n')
    table_rows = [(row.get('system', name), row) for name, row in rows.items() if 'error' not in row]
    print(metrics_table(table_rows, TABLE_KEYS, label='system'))
    for name, row in rows.items():
        if 'error' in row:
            print(f'{name}: skipped — {row["error"]}')
    print('\n' + markdown_table(rows))
    if args.json:
        with open(args.json, 'w') as handle:
            json.dump(result, handle, indent=1)
        print(f'\nwritten: {args.json}')


if __name__ == '__main__':
    main()
