"""Item (or user) feature matrices given to content models: read and checked once.

Content models (VBPR, AMR and the visual / content family) take a ``[max_item, F]``
matrix of item features as a numpy array or an ``h5py`` dataset; :func:`load_item_features`
reads it into float32 and says clearly what is wrong with a bad one.

An ``h5py`` dataset is read :data:`CHUNK_ROWS` rows at a time into the one float32
array the model keeps, each block checked as it arrives: a file stored as float64 (or
compressed) never costs a second full-size copy in memory. Every built-in content model
then holds that float32 matrix in the graph (a non-trainable variable, gathered by id
inside the graph, with every item projected at once for serving), so the matrix has to
fit in memory once as float32; none of them streams feature rows from the file during
training.
"""

from __future__ import annotations

import numpy as np

from openrec2.errors import DataError, DTypeError, ShapeError, scoped

#: Rows of an h5py dataset read per block.
CHUNK_ROWS = 65536


def load_item_features(item_features, max_item: int, scope: str, what: str = 'item_features') -> np.ndarray:
    """Read an item feature matrix (numpy array or h5py dataset) and check it.

    Args:
        item_features: ``[max_item, F]`` array-like, or an ``h5py.Dataset`` (read in
            blocks of :data:`CHUNK_ROWS` rows).
        max_item: Number of rows expected (items, or users for user features).
        scope: Scope of the model, for messages.
        what: Name of the argument, for messages.

    Returns:
        A float32 ``[max_item, F]`` array.

    Raises:
        DTypeError: the values are not numbers (strings, objects).
        ShapeError: the matrix is not ``[max_item, F]`` with ``F >= 1``.
        DataError: it holds NaN or infinite values.
    """
    if hasattr(item_features, 'id') and hasattr(item_features, 'shape'):  # an h5py dataset
        _check_dtype(item_features.dtype, scope, what)
        _check_shape(tuple(item_features.shape), max_item, scope, what)
        features = np.empty(item_features.shape, dtype=np.float32)
        for start in range(0, item_features.shape[0], CHUNK_ROWS):
            block = item_features[start:start + CHUNK_ROWS]
            features[start:start + len(block)] = block
            _check_finite(features[start:start + len(block)], scope, what)
        return features
    raw = np.asarray(item_features)
    _check_dtype(raw.dtype, scope, what)
    features = raw.astype(np.float32, copy=False)
    _check_shape(features.shape, max_item, scope, what)
    _check_finite(features, scope, what)
    return features


def _check_dtype(dtype, scope: str, what: str) -> None:
    if np.dtype(dtype).kind not in 'biuf':  # strings (even numeric ones) and objects are not features
        raise DTypeError(scoped(scope, f'`{what}` must hold numbers, got values of dtype {dtype}; encode '
                                       'text or categorical features as numbers first.'))


def _check_shape(shape: tuple, max_item: int, scope: str, what: str) -> None:
    if len(shape) != 2 or shape[0] != max_item or shape[1] < 1:
        raise ShapeError(scoped(scope, (
            f'`{what}` must be a [{max_item}, F] matrix (one row per id), got shape {shape}.')))


def _check_finite(features: np.ndarray, scope: str, what: str) -> None:
    if not np.isfinite(features).all():
        raise DataError(scoped(scope, f'`{what}` holds NaN or infinite values; clean them first.'))
