"""Training on a positive and ``neg_num`` sampled negatives per row (NBPR, WCML).

The mixin makes ``n_item_id`` a ``[B, neg_num]`` input, names
:class:`~openrec2.utils.samplers.NPairwiseSampler` as the training sampler and tells it
how many negatives to draw, so ``fit()``, the command line and the trainer build the
right batches.
"""

from __future__ import annotations

from openrec2.validation import check_int


class SampledNegatives:
    """Mixin of matrix-factorisation models trained on ``neg_num`` negatives per positive.

    Put it before the model base; call :meth:`_set_neg_num` in the constructor before
    the base constructor builds the graph.
    """

    training_sampler = "NPairwiseSampler"

    def _set_neg_num(self, neg_num: int) -> None:
        """Check and keep the number of negatives per row."""
        self._neg_num = check_int(neg_num, "neg_num", type(self).__name__.lower())

    def _item_input_shape(self, name: str) -> list:
        return [None, self._neg_num] if name == "n_item_id" else [None]

    def training_sampler_options(self) -> dict:
        """``num_negatives`` for :class:`~openrec2.utils.samplers.NPairwiseSampler`."""
        return {"num_negatives": self._neg_num}

    @property
    def neg_num(self) -> int:
        """Negatives per training row."""
        return self._neg_num
