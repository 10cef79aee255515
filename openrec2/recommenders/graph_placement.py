"""Where a recommender's graph runs: the hook a cluster plugs into.

A :class:`~openrec2.recommenders.recommender.Recommender` builds its graph and opens its
session in its constructor. By default both are local (one process). Inside
:func:`placing`, the constructor asks the active :class:`GraphPlacement` instead: for a
device function and a partitioner while it builds, for a wrapper around each optimiser,
and for the session (and its initialisation). :mod:`openrec2.distributed` supplies the
parameter-server placement; this module only defines the contract, so the recommenders
depend on nothing above them.
"""

from __future__ import annotations

import contextlib
from typing import Iterator, List, Optional

#: Placements entered with :func:`placing`, innermost last.
_ACTIVE: List["GraphPlacement"] = []


class GraphPlacement:
    """The contract of a placement (every method is a hook; see :mod:`openrec2.distributed.placement`)."""

    def device_scope(self):
        """A context manager placing the ops built inside it (``tf.device(...)``)."""
        return contextlib.nullcontext()

    def partitioner(self):
        """The variable partitioner of the model's scope, or None."""
        return None

    def wrap_optimizer(self, optimizer, objective: str):
        """The optimiser an objective applies its gradients with (``optimizer`` itself here)."""
        return optimizer

    def prepare(self, graph) -> None:
        """Build the placement's own ops in ``graph`` (called before the graph is finalised)."""

    def finish(self, sess) -> None:
        """Called by ``Recommender.close()`` before the session closes (let peers go on)."""

    def chief_finished(self, sess) -> bool:
        """Whether another process that leads the run has finished it (this one then stops training)."""
        return False

    def restored(self, sess) -> None:
        """Called by ``Recommender.load()`` after a checkpoint replaced the variables (the
        global step may have moved back)."""

    def start_session(self, graph, init_op, init_feeds: dict, config):
        """Open the model's session and initialise (or wait for) its variables.

        Returns:
            The ``tf.compat.v1.Session``.
        """
        raise NotImplementedError


@contextlib.contextmanager
def placing(placement: Optional[GraphPlacement]) -> Iterator[Optional[GraphPlacement]]:
    """Build the recommenders constructed inside this block with ``placement`` (None: locally).

    Args:
        placement: A :class:`GraphPlacement`, or None for the ordinary single process.

    Yields:
        The placement.
    """
    if placement is None:
        yield None
        return
    _ACTIVE.append(placement)
    try:
        yield placement
    finally:
        _ACTIVE.remove(placement)


def active_placement() -> Optional[GraphPlacement]:
    """The innermost placement entered with :func:`placing`, or None (one local process)."""
    return _ACTIVE[-1] if _ACTIVE else None
