"""Base class of interaction modules (scores and losses)."""

from openrec2.modules.module import Module


class Interaction(Module):
    """An interaction turns representations into scores and, in training, a loss.

    It has the :class:`~openrec2.modules.module.Module` contract unchanged.
    """
