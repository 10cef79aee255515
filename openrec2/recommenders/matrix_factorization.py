"""Shared skeleton of matrix-factorisation recommenders (BPR, PMF, ...).

User and item latent factors plus an item bias; the serving graph scores every item
for a batch of users, or given (user, item) pairs. Subclasses name their training item
inputs and build their training interaction.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf

from openrec2.modules import snake_case
from openrec2.modules.extractions import LatentFactor
from openrec2.modules.interactions import Interaction
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_int


class MatrixFactorization(IdInputs, Recommender):
    """Base of models scoring ``<p_u, q_i> + b_i``.

    Each of :attr:`training_item_inputs` (from :class:`IdInputs`) gets its rows of the
    item factor and bias tables. Subclasses implement
    :meth:`_build_training_interaction` and :meth:`_scoring_interaction`.

    Args:
        dim_embed: Size of the latent factors; the other arguments are those of
            :class:`~openrec2.recommenders.recommender.Recommender`.
    """

    def __init__(self, batch_size, max_user, max_item, dim_embed=20, test_batch_size=None,
                 l2_reg=None, opt="Adam", lr=None, init_dict=None, sess_config=None, seed=None):
        self._dim_embed = check_int(dim_embed, "dim_embed", snake_case(type(self).__name__))
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr,
                         init_dict=init_dict, sess_config=sess_config, seed=seed)

    @staticmethod
    def _role(input_name: str) -> str:
        """Module-name stem of an item input (``'p_item_id'`` -> ``'p_item'``)."""
        return input_name[:-3] if input_name.endswith("_id") else input_name

    def _build_user_extractions(self, train=True):
        self._add_module("user_vec", LatentFactor([self._max_user, self._dim_embed],
                                                  ids=self._get_input("user_id", train),
                                                  l2_reg=self._l2_reg, scope="user"), train=train)

    def _build_item_extractions(self, train=True):
        # Training looks up the rows of all item inputs at once (one gather and one
        # sparse update per table, however many item inputs there are) and splits
        # them by input; serving takes the whole tables.
        ids = None
        if train:
            inputs = [self._get_input(name) for name in self.training_item_inputs]
            ids = tf.concat(inputs, axis=0)
            sizes = [tf.shape(one)[0] for one in inputs]
        factors = self._add_module("item_vec", LatentFactor(
            [self._max_item, self._dim_embed], ids=ids, l2_reg=self._l2_reg, scope="item"), train=train)
        biases = self._add_module("item_bias", LatentFactor(
            [self._max_item, 1], init="zero", ids=ids, l2_reg=self._l2_reg, scope="item_bias"), train=train)
        if train:
            rows = zip(tf.split(factors.get_outputs()[0], sizes), tf.split(biases.get_outputs()[0], sizes))
            self._item_rows = {self._role(name): row for name, row in zip(self.training_item_inputs, rows)}

    def _training_item(self, input_name: str):
        """``(factors, biases)`` of the batch rows of one training item input."""
        return self._item_rows[self._role(input_name)]

    def _build_default_interactions(self, train=True):
        if train:
            self._build_training_interaction()
            return
        user, items, biases = (self._output(n, False) for n in ("user_vec", "item_vec", "item_bias"))
        item_id = self._get_input("item_id", False)
        all_items = self._scoring_interaction(user, items, biases, all_items=True, scope="interaction")
        pairs = self._scoring_interaction(user, tf.gather(items, item_id), tf.gather(biases, item_id),
                                          all_items=False, scope="interaction_pairs")
        self._add_module("interaction", all_items, train=False)
        self._add_module("interaction_pairs", pairs, train=False)
        self._serve_item_scores(all_items, pairs)

    def _build_training_interaction(self) -> None:
        """Build and register the training interaction (its loss trains the model)."""
        raise NotImplementedError

    def _scoring_interaction(self, user, item, item_bias, all_items: bool, scope: str) -> Interaction:
        """Build a serving interaction scoring all items (``[N, d]`` item) or pairs."""
        raise NotImplementedError
