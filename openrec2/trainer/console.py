"""Coloured log lines (termcolor) and plain metric tables for the trainer and the CLI.

termcolor decides about colour itself: it colours a terminal and honours ``NO_COLOR``
/ ``FORCE_COLOR``, so redirected output stays plain text.
"""

from __future__ import annotations

import math
import sys
from typing import Callable, Mapping, Optional, Sequence, TextIO

from termcolor import colored


def format_value(value: float, digits: int = 4) -> str:
    """A metric value with fixed decimals (``'nan'`` for NaN, ``'-'`` for None).

    Args:
        value: The value.
        digits: Decimals.

    Returns:
        The text.
    """
    if value is None:
        return '-'
    return 'nan' if math.isnan(value) else f'{value:.{digits}f}'


def format_metrics(metrics: Mapping[str, float], keys: Optional[Sequence[str]] = None, digits: int = 4) -> str:
    """``'Recall@10 0.2100  NDCG@10 0.1900'``.

    Args:
        metrics: ``{key: value}``.
        keys: Keys to show, in order (default all).
        digits: Decimals.

    Returns:
        One line of text.
    """
    keys = list(metrics) if keys is None else [k for k in keys if k in metrics]
    return '  '.join(f'{key} {format_value(metrics[key], digits)}' for key in keys)


def metrics_table(rows: Sequence[tuple[str, Mapping[str, float]]], keys: Optional[Sequence[str]] = None,
                  digits: int = 4, label: str = '') -> str:
    """An aligned plain-text table: one row per (name, metrics), one column per key.

    Args:
        rows: ``[(row name, {key: value}), ...]``.
        keys: Column keys in order (default: keys of the first row).
        digits: Decimals.
        label: Header of the name column.

    Returns:
        The table, lines joined by newlines (no trailing newline).
    """
    if keys is None:
        keys = list(rows[0][1]) if rows else []
    header = [label] + list(keys)
    body = [[name] + [format_value(values.get(key), digits) for key in keys] for name, values in rows]
    widths = [max(len(line[i]) for line in [header] + body) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return '  '.join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(cells))

    rule = '  '.join('-' * width for width in widths)
    return '\n'.join([line(header), rule] + [line(cells) for cells in body])


class Console:
    """Writes the trainer's log lines, coloured by kind.

    Args:
        verbose: Print info lines (warnings are always printed).
        stream: Text stream (default ``sys.stdout`` at the time of each write).
        before_write: Called before each line (the trainer clears its progress bar).
    """

    def __init__(self, verbose: bool = True, stream: Optional[TextIO] = None,
                 before_write: Optional[Callable[[], None]] = None) -> None:
        self.verbose = bool(verbose)
        self._stream = stream
        self.before_write = before_write

    def _write(self, text: str) -> None:
        if self.before_write is not None:
            self.before_write()
        stream = self._stream if self._stream is not None else sys.stdout
        stream.write(text + '\n')
        stream.flush()

    def info(self, text: str, color: Optional[str] = None) -> None:
        """Print an info line (only when verbose).

        Args:
            text: The line.
            color: termcolor colour name, or None for plain.
        """
        if self.verbose:
            self._write(colored(text, color) if color else text)

    def warn(self, text: str) -> None:
        """Print a warning line in yellow (always).

        Args:
            text: The line.
        """
        self._write(colored(f'warning: {text}', 'yellow'))

    def step(self, iteration: int, epoch: Optional[float], parts: Sequence[tuple[str, Optional[str]]]) -> None:
        """Print ``[iter 1000 | epoch 2.00] part part ...`` with each part in its colour.

        Args:
            iteration: Iteration number.
            epoch: Epochs done, or None.
            parts: ``[(text, colour or None), ...]``.
        """
        where = f'iter {iteration}' + (f' | epoch {epoch:.2f}' if epoch is not None else '')
        pieces = [colored(f'[{where}]', 'cyan')] + [colored(t, c) if c else t for t, c in parts]
        self.info(' '.join(pieces))
