"""Early checks of module inputs, with errors that say what to change."""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, MissingInputError, ShapeError, scoped
from openrec2.validation import check_int_list, check_probability


def require_tensor(value, scope: str, what: str, ranks: Optional[Iterable[int]] = None,
                   integer: Optional[bool] = None) -> tf.Tensor:
    """Convert ``value`` to a tensor and check its rank and dtype family.

    Args:
        value: A tensor, variable or array-like.
        scope: Scope of the module asking (prefixes the message).
        what: Name of the argument, for the message.
        ranks: Allowed ranks (None for any).
        integer: True to require an integer dtype, False to require a float dtype,
            None for either.

    Returns:
        The value as a tensor.

    Raises:
        ShapeError: the rank is not allowed.
        DTypeError: the dtype family is wrong.
    """
    tensor = tf.convert_to_tensor(value)
    if ranks is not None:
        ranks = tuple(ranks)
        rank = tensor.shape.ndims
        if rank is not None and rank not in ranks:
            raise ShapeError(scoped(scope, (
                f"`{what}` must have rank {' or '.join(map(str, ranks))}, got shape "
                f"{tensor.shape}. Reshape it before passing it in.")))
    if integer is True and not tensor.dtype.is_integer:
        raise DTypeError(scoped(scope, (
            f"`{what}` must hold integer ids, got dtype {tensor.dtype.name}. "
            "Cast it with tf.cast(..., tf.int32).")))
    if integer is False and not tensor.dtype.is_floating:
        raise DTypeError(scoped(scope, (
            f"`{what}` must be floating point, got dtype {tensor.dtype.name}. "
            "Cast it with tf.cast(..., tf.float32).")))
    return tensor


def require_dims(dims: Sequence[int], scope: str, what: str = "dims") -> list:
    """Check a list of layer widths: non-empty, positive integers.

    Args:
        dims: Layer widths.
        scope: Scope of the module asking.
        what: Argument name for the message.

    Returns:
        The widths as a list of ints.

    Raises:
        SettingError: the list is empty or holds a non-positive or non-integer width.
    """
    return check_int_list(dims, what, scope)


def require_rate(rate, scope: str, what: str) -> Optional[float]:
    """Check a dropout rate (None, or a float in [0, 1)).

    Args:
        rate: The rate.
        scope: Scope of the module asking.
        what: Argument name for the message.

    Returns:
        The rate as a float, or None.

    Raises:
        SettingError: the rate is outside [0, 1).
    """
    return check_probability(rate, what, scope)


def require_labels(labels, train: bool, scope: str) -> Optional[tf.Tensor]:
    """Labels of a pointwise interaction as a float32 vector (None when not given).

    Raises:
        MissingInputError: ``train`` is True and ``labels`` is None.
    """
    if train and labels is None:
        raise MissingInputError(scoped(scope, "training needs `labels`."))
    return None if labels is None else tf.reshape(tf.cast(labels, tf.float32), [-1])


def optional_matrix(value, scope: str, what: str) -> Optional[tf.Tensor]:
    """None, or ``value`` checked as a float ``[N, d]`` tensor (see :func:`require_tensor`)."""
    return None if value is None else require_tensor(value, scope, what, ranks=[2], integer=False)


def require_item_inputs(p_item, n_item, item, train: bool, scope: str) -> tuple:
    """The item inputs of a pairwise interaction, checked as :func:`optional_matrix`.

    Returns:
        ``(p_item, n_item, item)``.

    Raises:
        MissingInputError: training without both ``p_item`` and ``n_item``; serving
            with neither ``item`` nor ``p_item``.
    """
    p_item, n_item, item = (optional_matrix(v, scope, w) for v, w in ((p_item, "p_item"), (n_item, "n_item"),
                                                                       (item, "item")))
    if train and (p_item is None or n_item is None):
        raise MissingInputError(scoped(scope, "training needs both `p_item` and `n_item`."))
    if not train and item is None and p_item is None:
        raise MissingInputError(scoped(scope, (
            "serving needs `item` (all items, for [B, N] scores) or `p_item` (pairs).")))
    return p_item, n_item, item
