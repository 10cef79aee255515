"""Parameter-server training on loopback: quality, speed and ps memory (docs/distributed.md).

    OPENREC2_DATA=... python benchmarks/distributed.py [--epochs 10] [--skip-memory]

1. Quality: BPR on ML-100K (the loader's split, seed 2020) trained in one process, and by
   2 ps + 2 workers in async and in sync mode (``python -m openrec2 cluster``), with the same
   settings; validation NDCG@10 of each (from the run folders' metrics.json).
2. Speed: steps/s and examples/s of the training loop (the chief's train_seconds) for
   one process, 1 ps + 1 worker, and 2 ps + 2 workers (examples/s counts every worker).
3. Memory: resident memory of each ps process before and after a BPR with a
   1M-user x 1M-item table pair (dim 16) is initialised on 1 and on 2 ps.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time

from openrec2.distributed import ClusterConfig, ClusterPlacement, LocalCluster, free_ports

COMMON = ['--model', 'BPR', '--dataset', 'ml-100k', '--seed', '2020', '--quiet']


def run_folder_numbers(folder: str) -> dict:
    """NDCG@10 (validation), iterations and training seconds of a run folder."""
    with open(os.path.join(folder, 'metrics.json')) as handle:
        metrics = json.load(handle)
    with open(os.path.join(folder, 'history.json')) as handle:
        history = json.load(handle)
    return {'ndcg10': metrics['results']['validation']['NDCG@10'], 'iterations': history['end_iter'] - history['start_iter'],
            'train_seconds': history['train_seconds']}


def single_process(args, folder: str) -> dict:
    """One ``python -m openrec2 train`` process."""
    subprocess.run([sys.executable, '-m', 'openrec2', 'train', *COMMON, *args, '--run-dir', folder], check=True,
                   stdout=subprocess.DEVNULL)
    return run_folder_numbers(folder)


def cluster(num_ps: int, num_workers: int, mode: str, args, folder: str) -> dict:
    """One local cluster run; the chief writes the run folder."""
    log = io.StringIO()
    code = LocalCluster(num_ps, num_workers, [*COMMON, *args, '--run-dir', folder], mode=mode, log_stream=log).run(3600)
    if code != 0:
        raise RuntimeError(log.getvalue()[-3000:])
    return run_folder_numbers(folder)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB."""
    with open(f'/proc/{pid}/status') as handle:
        for line in handle:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return float('nan')


def ps_memory(num_ps: int, rows: int = 1_000_000, dim: int = 16) -> list:
    """RSS of each ps before / after a rows x dim user and item table (with Adam slots) are initialised."""
    import tensorflow.compat.v1 as tf  # noqa: F401  (imported before the servers start)
    from openrec2.distributed.server import start_server
    from openrec2.recommenders import BPR
    from openrec2.recommenders.graph_placement import placing
    ports = free_ports(num_ps + 1)
    spec = {'ps': [f'127.0.0.1:{p}' for p in ports[:num_ps]], 'worker': [f'127.0.0.1:{ports[-1]}']}
    code = ('import sys; from openrec2.distributed import ClusterConfig; from openrec2.distributed.server import '
            'serve_forever; import json; serve_forever(ClusterConfig(json.loads(sys.argv[1]), "ps", int(sys.argv[2])))')
    servers = [subprocess.Popen([sys.executable, '-c', code, json.dumps(spec), str(k)], stdout=subprocess.DEVNULL)
               for k in range(num_ps)]
    try:
        time.sleep(20)
        before = [rss_mb(p.pid) for p in servers]
        config = ClusterConfig(spec, 'worker', 0)
        with placing(ClusterPlacement(config, start_server(config))):
            model = BPR(batch_size=1024, max_user=rows, max_item=rows, dim_embed=dim, seed=0)
        time.sleep(2)
        after = [rss_mb(p.pid) for p in servers]
        model.close()
        return [(b, a) for b, a in zip(before, after)]
    finally:
        for process in servers:
            process.kill()
            process.wait()


def main() -> None:
    """Run the three measurements and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--epochs', type=int, default=10)
    parser.add_argument('--skip-memory', action='store_true')
    options = parser.parse_args()
    args = ['--epochs', str(options.epochs), '--eval-every', '2']
    print(f'# {time.strftime("%Y-%m-%d")}, {os.cpu_count()} cores, BPR on ML-100K, {options.epochs} epochs, '
          'early stopping on validation NDCG@10 (patience 3)')
    rows = []
    with tempfile.TemporaryDirectory() as root:
        rows.append(('1 process', 1, single_process(args, os.path.join(root, 'single'))))
        rows.append(('1 ps + 1 worker, async', 1, cluster(1, 1, 'async', args, os.path.join(root, 'c11'))))
        rows.append(('2 ps + 2 workers, async', 2, cluster(2, 2, 'async', args, os.path.join(root, 'c22a'))))
        rows.append(('2 ps + 2 workers, sync', 2, cluster(2, 2, 'sync', args, os.path.join(root, 'c22s'))))
    reference = rows[0][2]['ndcg10']
    print('| run | validation NDCG@10 | vs 1 process | chief steps/s | examples/s (all workers) |')
    print('|---|---|---|---|---|')
    for name, workers, numbers in rows:
        steps = numbers['iterations'] / numbers['train_seconds']
        print(f'| {name} | {numbers["ndcg10"]:.4f} | {100 * (numbers["ndcg10"] / reference - 1):+.1f}% | '
              f'{steps:.1f} | {steps * 1024 * workers:,.0f} |')
    if not options.skip_memory:
        print('\n| ps tasks | RSS per ps before (MB) | after a 1M x 1M BPR, dim 16 (MB) |')
        print('|---|---|---|')
        for num_ps in (1, 2):
            pairs = ps_memory(num_ps)
            print(f'| {num_ps} | {", ".join(f"{b:.0f}" for b, _ in pairs)} | {", ".join(f"{a:.0f}" for _, a in pairs)} |')


if __name__ == '__main__':
    main()
