"""Readers for the plain-text formats of the public datasets, with precise errors.

Two formats cover every dataset here: a table with a fixed number of integer columns
(``u.data``) and one list per line (``user item item ...`` or ``n item item ...``).
A malformed line raises :class:`~openrec2.errors.DataError` naming the file, the line
number and what was expected; so does an empty file, and a file whose last line has no
line break when the format always ends with one (a file cut while it was written or
downloaded: its last field may be a shortened number that would otherwise load).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from openrec2.errors import DataError, scoped


def read_lines(path: Path, loader: str = 'openrec2.datasets', complete_lines: bool = True,
               encoding: str = 'latin-1') -> list[str]:
    """The lines of a data file, refusing an empty or cut-off one.

    Args:
        path: Text file.
        loader: Loader name for error messages.
        complete_lines: The format ends every line with a line break, so a last line
            without one means the file was cut.
        encoding: Text encoding.

    Returns:
        The lines (without line breaks).

    Raises:
        DataError: No line with content, a cut last line, or bytes that are not text in
            ``encoding`` (a binary or damaged file).
    """
    try:
        text = Path(path).read_text(encoding=encoding)
    except UnicodeDecodeError as error:
        raise DataError(scoped(loader, f'{path} is not {encoding} text (byte {error.start} is '
                                       f'{error.object[error.start:error.start + 1]!r}): the file is damaged or '
                                       'not the dataset\'s; download it again.')) from error
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise DataError(scoped(loader, f'{path} is empty; download it again (python datasets/download.py).'))
    if complete_lines and not text.endswith(('\n', '\r')):
        raise DataError(scoped(loader, f'{path}, line {len(lines)}: {lines[-1][:60]!r} ends without a line break, '
                                       'so the file was cut while being written or downloaded (its last value may '
                                       'be shortened); download it again.'))
    return lines


def read_int_table(path: Path, n_columns: int, separator: str | None = None,
                   loader: str = 'openrec2.datasets', complete_lines: bool = True) -> np.ndarray:
    """Read a file of integer rows with exactly ``n_columns`` fields each.

    Args:
        path: Text file.
        n_columns: Number of fields per line.
        separator: Field separator; ``None`` splits on whitespace.
        loader: Loader name for error messages.
        complete_lines: See :func:`read_lines`.

    Returns:
        int64 array ``[n_lines, n_columns]`` (blank lines skipped).

    Raises:
        DataError: A line has another number of fields or a non-integer field, the
            file is empty, or it was cut.
    """
    lines = read_lines(path, loader, complete_lines)
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        fields = line.split(separator)
        if len(fields) != n_columns:
            raise _line_error(path, number, line, f'{n_columns} integer fields', loader)
        rows.append(fields)
    try:
        return np.array(rows, dtype=np.int64).reshape(-1, n_columns)
    except ValueError:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                try:
                    [int(f) for f in line.split(separator)]
                except ValueError:
                    raise _line_error(path, number, line, f'{n_columns} integer fields', loader) from None
        raise


def read_int_lists(path: Path, loader: str = 'openrec2.datasets', complete_lines: bool = True) -> list[np.ndarray]:
    """Read one whitespace-separated list of integers per line.

    Args:
        path: Text file.
        loader: Loader name for error messages.
        complete_lines: See :func:`read_lines`.

    Returns:
        One int64 array per line, in file order (empty for a blank line; trailing blank
        lines dropped).

    Raises:
        DataError: A line holds a field that is not an integer, the file is empty, or
            it was cut.
    """
    out = []
    lines = read_lines(path, loader, complete_lines)
    while lines and not lines[-1].strip():
        lines.pop()
    for number, line in enumerate(lines, start=1):
        try:
            out.append(np.array(line.split(), dtype=np.int64))
        except ValueError:
            raise _line_error(path, number, line, 'whitespace-separated integers', loader) from None
    return out


def lists_to_pairs(lists: list[np.ndarray], path: Path, counted: bool = False,
                   loader: str = 'openrec2.datasets', first_user: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Turn per-line integer lists into (user, item) pairs.

    Args:
        lists: Lines as returned by :func:`read_int_lists`.
        path: File the lines came from (for error messages).
        counted: ``False``: each line is ``user item item ...``. ``True``: line ``k``
            (0-based) is user ``first_user + k`` and reads ``n item_1 ... item_n``.
        loader: Loader name for error messages.
        first_user: User id of the first line when ``counted``.

    Returns:
        ``(user_ids, item_ids)`` int64 arrays, in file order.

    Raises:
        DataError: A blank line, or a count that does not match the number of items on
            its line.
    """
    users, items = [], []
    for k, values in enumerate(lists):
        if len(values) == 0:
            raise DataError(scoped(loader, (
                f'{path}: line {k + 1} is blank; expected '
                + ('"n item_1 ... item_n"' if counted else '"user item item ..."')
                + '. Re-download the file with datasets/download.py.')))
        if counted:
            if values[0] != len(values) - 1:
                raise DataError(scoped(loader, (
                    f'{path}: line {k + 1} says {values[0]} items but lists {len(values) - 1}; '
                    'expected "n item_1 ... item_n". Re-download the file with datasets/download.py.')))
            user, line_items = first_user + k, values[1:]
        else:
            user, line_items = values[0], values[1:]
        users.append(np.full(len(line_items), user, dtype=np.int64))
        items.append(line_items)
    if not users:
        raise DataError(scoped(loader, f'{path} holds no interactions.'))
    return np.concatenate(users), np.concatenate(items)


def remap_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Map arbitrary integer ids to 0-based contiguous ones (sorted by original id).

    Args:
        ids: Original ids.

    Returns:
        ``(new_ids, id_map)`` where ``id_map[new_id]`` is the original id.
    """
    id_map, new_ids = np.unique(ids, return_inverse=True)
    return new_ids.astype(np.int64).ravel(), id_map


def _line_error(path: Path, number: int, line: str, expected: str, loader: str) -> DataError:
    shown = line if len(line) <= 80 else line[:77] + '...'
    return DataError(scoped(loader, (
        f'{path}: line {number} is malformed: {shown!r}; expected {expected}. '
        'Re-download the file with datasets/download.py.')))
