"""Index arithmetic for ragged rows (consecutive rows of varying lengths, as in CSR)."""

from __future__ import annotations

import numpy as np


def ragged_positions(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Enumerate the entries of consecutive rows of the given lengths.

    Args:
        counts: int array, number of entries of each row.

    Returns:
        ``(rows, offsets)``: the row of every entry and its position within its row.
    """
    counts = np.asarray(counts, dtype=np.int64)
    rows = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
    return rows, np.arange(rows.size, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
