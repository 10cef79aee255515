"""The user/item id inputs that id-based recommenders share.

Training graphs take ``user_id`` and the item-id inputs the pairwise (or pointwise)
samplers yield; serving graphs take ``user_id`` (all-item scores) and optionally
``item_id`` (pair scores). Every id input is range-checked when fed.
"""

from __future__ import annotations

from typing import Sequence


class IdInputs:
    """Mixin declaring ``user_id`` and the item-id inputs of a recommender.

    Put it before :class:`~openrec2.recommenders.recommender.Recommender` in the
    bases; set :attr:`training_item_inputs` for another training batch layout (PMF
    trains on ``item_id`` alone).
    """

    #: Item-id inputs of the training graph (the serving graph takes ``item_id``).
    training_item_inputs: Sequence[str] = ("p_item_id", "n_item_id")

    def _build_user_inputs(self, train=True):
        self._add_input("user_id", "int32", [None], train=train, max_value=self._max_user)

    def _item_input_shape(self, name: str) -> list:
        """Shape of a training item input: ``[None]`` (one item per row) unless a model
        takes several (NBPR's ``n_item_id`` is ``[None, neg_num]``)."""
        return [None]

    def _build_item_inputs(self, train=True):
        for name in (self.training_item_inputs if train else ("item_id",)):
            shape = self._item_input_shape(name) if train else [None]
            self._add_input(name, "int32", shape, train=train, max_value=self._max_item)

    def _serve_item_scores(self, all_items, pairs) -> None:
        """Serve ``all_items``' scores for ``user_id`` batches and ``pairs``' scores for
        ``user_id`` + ``item_id`` batches (both modules' first outputs)."""
        self._set_serving_output(all_items.get_outputs()[0], ["user_id"])
        self._set_serving_output(pairs.get_outputs()[0], ["user_id", "item_id"])
