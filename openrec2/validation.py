"""One checker for every setting: sizes, counts, rates, probabilities, choices.

Constructors (models, modules, samplers, evaluators, the trainer) and the command line
check their settings through these functions, so the same mistake raises the same
error, :class:`~openrec2.errors.SettingError`, everywhere, with the scope that raised
it, the value received and what to pass instead::

    dim = check_int(dim_embed, 'dim_embed', scope)            # an integer >= 1
    lr = check_learning_rate(lr, scope)                      # a finite number > 0, or None
    rate = check_probability(dropout, 'dropout_prob', scope)  # in [0, 1)
    kind = check_choice(gru_type, 'gru_type', scope, GRU_TYPES)

Booleans are never numbers here (``True`` is not a size), floats are never integers
(``64.0`` or ``8.5`` as an embedding size is refused rather than truncated), and NaN or
infinite values are refused wherever a number is expected. numpy scalars are accepted
and returned as Python ``int`` / ``float``.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from typing import Any, Optional

import numpy as np

from openrec2.errors import SettingError, scoped


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _bound_text(minimum: Optional[float], maximum: Optional[float], min_exclusive: bool = False,
                max_exclusive: bool = False) -> str:
    parts = []
    if minimum is not None:
        parts.append(f'{">" if min_exclusive else ">="} {minimum:g}')
    if maximum is not None:
        parts.append(f'{"<" if max_exclusive else "<="} {maximum:g}')
    return ' and '.join(parts)


def _error(scope: str, name: str, requirement: str, value: Any, fix: str, wrong_type: bool = False) -> SettingError:
    got = f'{value!r} (a {type(value).__name__})' if wrong_type else repr(value)
    return SettingError(scoped(scope, f'`{name}` must be {requirement}, got {got}; {fix}.'))


def _count_fix(length: Optional[int]) -> str:
    return 'give at least one value' if length is None else f'give exactly {length} value{"s" * (length != 1)}'


def check_int(value: Any, name: str, scope: str, minimum: Optional[int] = 1, maximum: Optional[int] = None,
              allow_none: bool = False) -> Optional[int]:
    """Check an integer setting (a size, a count, a number of steps).

    Args:
        value: The value given.
        name: Name of the setting, for the message.
        scope: Who asks (model, module, sampler, ``'openrec2'`` for the CLI).
        minimum: Smallest allowed value (None: no bound); 1 by default.
        maximum: Largest allowed value (None: no bound).
        allow_none: Accept None (returned as is).

    Returns:
        The value as a Python int (or None).

    Raises:
        SettingError: Not an integer (bools and floats included) or out of range.
    """
    if value is None and allow_none:
        return None
    bounds = _bound_text(minimum, maximum)
    requirement = f'an integer {bounds}'.strip() + (' or None' if allow_none else '')
    if not _is_int(value):
        raise _error(scope, name, requirement, value, 'pass a whole number (not a float, bool or string)',
                     wrong_type=True)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise _error(scope, name, requirement, value, f'choose a value {bounds}')
    return int(value)


def check_number(value: Any, name: str, scope: str, minimum: Optional[float] = None,
                 maximum: Optional[float] = None, min_exclusive: bool = False, max_exclusive: bool = False,
                 allow_none: bool = False) -> Optional[float]:
    """Check a real-valued setting (a weight, a margin, a temperature, a budget).

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.
        minimum: Lower bound (None: none).
        maximum: Upper bound (None: none).
        min_exclusive: The lower bound itself is not allowed.
        max_exclusive: The upper bound itself is not allowed.
        allow_none: Accept None (returned as is).

    Returns:
        The value as a Python float (or None).

    Raises:
        SettingError: Not a finite real number, or out of range.
    """
    if value is None and allow_none:
        return None
    bounds = _bound_text(minimum, maximum, min_exclusive, max_exclusive)
    requirement = f'a finite number {bounds}'.strip() + (' or None' if allow_none else '')
    if not _is_number(value) or not math.isfinite(float(value)):
        raise _error(scope, name, requirement, value, 'pass a finite int or float', wrong_type=not _is_number(value))
    number = float(value)
    too_low = minimum is not None and (number <= minimum if min_exclusive else number < minimum)
    too_high = maximum is not None and (number >= maximum if max_exclusive else number > maximum)
    if too_low or too_high:
        raise _error(scope, name, requirement, value, f'choose a value {bounds}')
    return number


def check_non_negative(value: Any, name: str, scope: str, allow_none: bool = False) -> Optional[float]:
    """Check a weight that may be zero (a regularisation or loss weight): a finite number >= 0.

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.
        allow_none: Accept None.

    Returns:
        The value as a float (or None).

    Raises:
        SettingError: Negative, NaN, infinite or not a number.
    """
    return check_number(value, name, scope, minimum=0.0, allow_none=allow_none)


def check_positive(value: Any, name: str, scope: str, allow_none: bool = False) -> Optional[float]:
    """Check a strictly positive number (a margin, a temperature, a step size).

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.
        allow_none: Accept None.

    Returns:
        The value as a float (or None).

    Raises:
        SettingError: Zero, negative, NaN, infinite or not a number.
    """
    return check_number(value, name, scope, minimum=0.0, min_exclusive=True, allow_none=allow_none)


def check_probability(value: Any, name: str, scope: str, allow_none: bool = True,
                      allow_one: bool = False) -> Optional[float]:
    """Check a probability such as a dropout rate: in ``[0, 1)`` (``[0, 1]`` with ``allow_one``).

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.
        allow_none: Accept None (no dropout).
        allow_one: Allow exactly 1.

    Returns:
        The value as a float (or None).

    Raises:
        SettingError: Outside the interval or not a number.
    """
    return check_number(value, name, scope, minimum=0.0, maximum=1.0, max_exclusive=not allow_one,
                        allow_none=allow_none)


def check_learning_rate(value: Any, scope: str, name: str = 'lr', allow_none: bool = True) -> Optional[float]:
    """Check a learning rate: a finite number > 0 (None: the optimiser's default).

    Args:
        value: The value given.
        scope: Who asks.
        name: Name of the setting.
        allow_none: Accept None.

    Returns:
        The value as a float (or None).

    Raises:
        SettingError: Zero, negative, NaN, infinite or not a number.
    """
    if value is None and allow_none:
        return None
    if not _is_number(value) or not math.isfinite(float(value)) or float(value) <= 0:
        raise _error(scope, name, 'a finite number > 0' + (' or None' if allow_none else ''), value,
                     'typical values are 1e-3 for Adam and 0.05 for SGD', wrong_type=not _is_number(value))
    return float(value)


def check_bool(value: Any, name: str, scope: str) -> bool:
    """Check a flag: ``True`` or ``False`` (numpy booleans accepted).

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.

    Returns:
        The flag as a Python bool.

    Raises:
        SettingError: Anything else (``1``, ``'yes'``, None).
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise _error(scope, name, 'True or False', value, 'pass a boolean', wrong_type=True)


def check_has_method(value: Any, name: str, scope: str, method: str, fix: str) -> Any:
    """Check that an object offers a method (a sampler its ``next_batch``).

    Args:
        value: The object given.
        name: Name of the argument.
        scope: Who asks.
        method: The method it must have.
        fix: What to pass instead.

    Returns:
        ``value``.

    Raises:
        SettingError: ``value`` has no callable ``method`` (a list, an array, a number).
    """
    if not callable(getattr(value, method, None)):
        raise _error(scope, name, f'an object with a {method}() method', value, fix, wrong_type=True)
    return value


def check_folder_path(value: Any, name: str, scope: str) -> Optional[str]:
    """Check a folder setting (a run or checkpoint folder) that may not exist yet.

    Args:
        value: A path, or None.
        name: Name of the setting.
        scope: Who asks.

    Returns:
        The path as a string, or None.

    Raises:
        SettingError: Not a path, or the path of an existing file.
    """
    if value is None:
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise _error(scope, name, 'a folder path or None', value, 'pass a folder path', wrong_type=True)
    path = os.fspath(value)
    if os.path.exists(path) and not os.path.isdir(path):
        raise SettingError(scoped(scope, f'`{name}` {path!r} is a file, not a folder; give a new or existing '
                                         'folder.'))
    return path


def check_choice(value: Any, name: str, scope: str, choices: Iterable[Any]) -> Any:
    """Check that a setting is one of the valid choices.

    Args:
        value: The value given.
        name: Name of the setting.
        scope: Who asks.
        choices: The valid values.

    Returns:
        ``value``.

    Raises:
        SettingError: Not among ``choices`` (the message lists them).
    """
    choices = list(choices)
    try:
        valid = value in choices
    except TypeError:  # an unhashable or uncomparable value
        valid = False
    if not valid:
        raise _error(scope, name, f'one of {choices}', value, 'check the spelling (names are case-sensitive)')
    return value


def check_int_list(value: Any, name: str, scope: str, minimum: Optional[int] = 1,
                   length: Optional[int] = None, allow_empty: bool = False) -> list[int]:
    """Check a list of integers (layer widths, kernel sizes, cut-offs).

    Args:
        value: A sequence of integers.
        name: Name of the setting.
        scope: Who asks.
        minimum: Smallest allowed entry (None: no bound).
        length: Required number of entries (None: any).
        allow_empty: Accept an empty list.

    Returns:
        The entries as a list of Python ints.

    Raises:
        SettingError: Not a sequence, wrong length, empty, or an entry that is not an
            integer in range.
    """
    bound = f' >= {minimum}' if minimum is not None else ''
    if length is not None:
        requirement = f'a list of {length} integers{bound}'
    else:
        requirement = f'a {"" if allow_empty else "non-empty "}list of integers{bound}'
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, Iterable)) or _is_int(value):
        raise _error(scope, name, requirement, value, 'pass e.g. [64, 32]', wrong_type=True)
    entries = list(value)
    if (length is not None and len(entries) != length) or (not entries and not allow_empty):
        raise _error(scope, name, requirement, value, _count_fix(length))
    for entry in entries:
        if not _is_int(entry) or (minimum is not None and entry < minimum):
            raise _error(scope, name, requirement, value, f'entry {entry!r} is not an integer{bound}')
    return [int(entry) for entry in entries]


def check_number_list(value: Any, name: str, scope: str, minimum: Optional[float] = None,
                      length: Optional[int] = None) -> list[float]:
    """Check a non-empty list of finite numbers (e.g. a pair of regularisation weights).

    Args:
        value: A sequence of numbers.
        name: Name of the setting.
        scope: Who asks.
        minimum: Smallest allowed entry (None: no bound).
        length: Required number of entries (None: any, at least one).

    Returns:
        The entries as a list of floats.

    Raises:
        SettingError: Not a sequence, wrong length, or an entry that is not a finite
            number in range.
    """
    bound = f' >= {minimum:g}' if minimum is not None else ''
    size = f'{length} ' if length is not None else ''
    requirement = f'a list of {size}finite numbers{bound}'
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, Iterable)) or _is_number(value):
        raise _error(scope, name, requirement, value, 'pass e.g. [0.1, 0.1]', wrong_type=True)
    entries = list(value)
    if (length is not None and len(entries) != length) or not entries:
        raise _error(scope, name, requirement, value, _count_fix(length))
    for entry in entries:
        if not _is_number(entry) or not math.isfinite(float(entry)) or (minimum is not None and entry < minimum):
            raise _error(scope, name, requirement, value, f'entry {entry!r} is not a finite number{bound}')
    return [float(entry) for entry in entries]
