"""Base class of extraction modules (modules that turn inputs into representations)."""

from openrec2.modules.module import Module


class Extraction(Module):
    """An extraction turns raw inputs (ids, features) into representation tensors.

    It has the :class:`~openrec2.modules.module.Module` contract unchanged; the class
    exists so that recommenders and users can tell the kinds of modules apart.
    """
