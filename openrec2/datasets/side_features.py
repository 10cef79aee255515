"""Side-feature matrices of the dataset loaders: multi-hot tags and attributes, one-hot fields.

Content models take a dense float32 ``[rows, F]`` matrix; these helpers build one from
(row, column) pairs read from a dataset's files, keeping columns used often enough to
carry signal.
"""

from __future__ import annotations

import numpy as np


def multi_hot(rows: np.ndarray, columns: np.ndarray, n_rows: int, min_rows: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """A 0/1 matrix with a 1 at every ``(row, column)`` pair, over the columns of ``min_rows`` rows or more.

    Args:
        rows: Row index of each pair (``0 .. n_rows - 1``).
        columns: Column id of each pair (any integers).
        n_rows: Number of rows of the matrix.
        min_rows: Keep a column only if at least this many distinct rows have it.

    Returns:
        ``(matrix, kept)``: float32 ``[n_rows, len(kept)]`` and the kept column ids in
        increasing order (column ``j`` of the matrix is id ``kept[j]``).
    """
    pairs = np.unique(np.stack([np.asarray(rows, np.int64), np.asarray(columns, np.int64)], axis=1), axis=0)
    ids, counts = np.unique(pairs[:, 1], return_counts=True)
    kept = ids[counts >= min_rows]
    pairs = pairs[np.isin(pairs[:, 1], kept)]
    matrix = np.zeros((n_rows, len(kept)), dtype=np.float32)
    matrix[pairs[:, 0], np.searchsorted(kept, pairs[:, 1])] = 1.0
    return matrix, kept


def one_hot(values: list, categories: list) -> np.ndarray:
    """One-hot rows of categorical ``values`` over ``categories`` (float32 ``[len(values), len(categories)]``).

    Raises:
        KeyError: a value that is not among the categories.
    """
    index = {category: j for j, category in enumerate(categories)}
    matrix = np.zeros((len(values), len(categories)), dtype=np.float32)
    matrix[np.arange(len(values)), [index[v] for v in values]] = 1.0
    return matrix
