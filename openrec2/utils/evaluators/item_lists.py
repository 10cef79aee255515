"""Old import path of :class:`~openrec2.utils.item_lists.ItemLists` (kept for earlier code).

The per-user item structure now lives at the bottom of ``openrec2.utils``
(:mod:`openrec2.utils.item_lists`), where datasets, samplers and evaluators share it.
"""

from openrec2.utils.item_lists import ItemLists, keys_contain, sorted_unique

__all__ = ['ItemLists', 'keys_contain', 'sorted_unique']
