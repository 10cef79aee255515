"""Item (or user) feature matrices given to content models: read and checked once.

Content models (VBPR, AMR and the visual / content family) take a ``[max_item, F]``
matrix of item features as a numpy array or an ``h5py`` dataset; :func:`load_item_features`
reads it into float32 and says clearly what is wrong with a bad one.
"""

from __future__ import annotations

import numpy as np

from openrec2.errors import DataError, DTypeError, ShapeError, scoped


def load_item_features(item_features, max_item: int, scope: str, what: str = 'item_features') -> np.ndarray:
    """Read an item feature matrix (numpy array or h5py dataset) and check it.

    Args:
        item_features: ``[max_item, F]`` array-like (an ``h5py.Dataset`` is read whole).
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
    raw = np.asarray(item_features[()] if hasattr(item_features, 'id') else item_features)
    if raw.dtype.kind not in 'biuf':  # strings (even numeric ones) and objects are not features
        raise DTypeError(scoped(scope, f'`{what}` must hold numbers, got values of dtype {raw.dtype}; encode '
                                       'text or categorical features as numbers first.'))
    features = raw.astype(np.float32, copy=False)
    if features.ndim != 2 or features.shape[0] != max_item or features.shape[1] < 1:
        raise ShapeError(scoped(scope, (
            f'`{what}` must be a [{max_item}, F] matrix (one row per id), got shape {features.shape}.')))
    if not np.isfinite(features).all():
        raise DataError(scoped(scope, f'`{what}` holds NaN or infinite values; clean them first.'))
    return features
