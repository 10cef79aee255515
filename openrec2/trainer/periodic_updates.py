"""Calls made every ``n`` training steps (ItrMLP's forward update of its temporal embeddings).

They are due at step counts of the run (``iteration % every == 0``), so a resumed run
makes them at the same steps as an uninterrupted one; what they change lives in the
model's variables and is saved with every checkpoint.
"""

from __future__ import annotations

from typing import Callable, Sequence

from openrec2.errors import SettingError, scoped
from openrec2.validation import check_int


def check_periodic_updates(updates: Sequence[tuple], scope: str) -> list[tuple[int, Callable[[], None]]]:
    """Check ``[(every, callable), ...]`` pairs.

    Args:
        updates: The pairs.
        scope: Scope for messages.

    Returns:
        The pairs as a list, ``every`` as ints.

    Raises:
        SettingError: a pair that is not ``(positive int, callable)``.
    """
    checked = []
    for pair in updates or ():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and callable(pair[1])):
            raise SettingError(scoped(scope, (
                f'periodic_updates holds (every, callable) pairs, got {pair!r}; e.g. '
                '[(4096, model.update_embeddings)].')))
        checked.append((check_int(pair[0], 'every of periodic_updates', scope), pair[1]))
    return checked
