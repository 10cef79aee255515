"""Command line and output shared by the runners that compare.py starts in the other venv.

Every runner takes ``--split PATH`` (``split.npz`` of :mod:`split_files`), ``--epochs E``
(the timing budget), ``--threads T`` and ``--quality-iterations N`` (a separate run
with the library's own default number of iterations, 0 to skip), and prints exactly one
JSON line, prefixed by ``RESULT `` so that library log lines around it are ignored.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys


def parse_args(description: str) -> argparse.Namespace:
    """Parse the runner command line.

    Args:
        description: First line of the runner's docstring.

    Returns:
        The namespace with ``split``, ``epochs``, ``threads``, ``quality_iterations``, ``work_dir``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--split', required=True, help='split.npz written by compare.py')
    parser.add_argument('--epochs', type=int, default=10, help='timed epochs')
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--quality-iterations', type=int, default=100,
                        help='epochs of the separate quality run with the library defaults (0: skip)')
    parser.add_argument('--work-dir', default=None, help='scratch folder (RecBole: where the .inter files are)')
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error(f'--epochs must be >= 1, got {args.epochs}')
    return args


def epoch_summary(seconds: list) -> dict:
    """Median and mean of the per-epoch times, and the times themselves.

    Args:
        seconds: Wall seconds of each timed epoch.

    Returns:
        ``{'median_s_per_epoch', 'mean_s_per_epoch', 'epoch_seconds'}``.
    """
    return {'median_s_per_epoch': statistics.median(seconds), 'mean_s_per_epoch': statistics.fmean(seconds),
            'epoch_seconds': [round(s, 4) for s in seconds]}


def emit(result: dict) -> None:
    """Print the runner's one result line."""
    sys.stdout.write('RESULT ' + json.dumps(result) + '\n')
    sys.stdout.flush()
