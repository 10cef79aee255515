"""Shared skeleton of matrix-factorisation recommenders (BPR, PMF, GMF, CML, the content models).

User and item latent factors plus an item bias; the serving graph scores every item
for a batch of users, or given (user, item) pairs. Subclasses name their training item
inputs, build their training interaction and their scoring interaction; content models
change the user or item representation through :meth:`_user_representation` /
:meth:`_item_representation` (see :mod:`openrec2.recommenders.content`).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.modules import snake_case
from openrec2.modules.extractions import LatentFactor
from openrec2.modules.interactions import Interaction
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_int


class MatrixFactorization(IdInputs, Recommender):
    """Base of models scoring users against items through latent factors and an item bias.

    Each of :attr:`training_item_inputs` (from :class:`IdInputs`) gets its rows of the
    item representation and bias (all of them looked up at once: one gather and one
    sparse update per table however many item inputs there are). Subclasses implement
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

    @property
    def _item_factor_size(self) -> int:
        """Width of the item latent factors (ConcatVisualBPR keeps room for its visual part)."""
        return self._dim_embed

    # ------------------------------------------------------------------ representations
    def _latent_module(self, side: str, ids: Optional[tf.Tensor], train: bool):
        """The latent-factor module of ``'user'`` or ``'item'`` rows (a LatentFactor here).

        Args:
            side: ``'user'`` or ``'item'`` (also the variable scope).
            ids: Row ids to look up, or None for the whole table (items at serving time).
            train: Training or serving graph.

        Returns:
            The module; its first output holds the rows.
        """
        shape = [self._max_user, self._dim_embed] if side == "user" else [self._max_item, self._item_factor_size]
        return LatentFactor(shape, ids=ids, l2_reg=self._l2_reg, scope=side)

    def _user_representation(self, latent: tf.Tensor, ids: tf.Tensor, train: bool) -> tf.Tensor:
        """The users' representation from their latent rows (identity here).

        Args:
            latent: ``[B, d]`` latent factors of the batch's users.
            ids: ``[B]`` their ids.
            train: Training or serving graph.

        Returns:
            ``[B, d']`` representations.
        """
        return latent

    def _item_representation(self, latent: tf.Tensor, ids: Optional[tf.Tensor], train: bool) -> tf.Tensor:
        """The items' representation from their latent rows (identity here).

        Args:
            latent: ``[M, d]`` latent factors of the items looked up (every item at serving
                time).
            ids: ``[M]`` their ids, or None for every item in id order.
            train: Training or serving graph.

        Returns:
            ``[M, d']`` representations.
        """
        return latent

    # ------------------------------------------------------------------ graph
    def _build_user_extractions(self, train=True):
        ids = self._get_input("user_id", train)
        latent = self._add_module("user_vec", self._latent_module("user", ids, train), train=train)
        rows = self.__dict__.setdefault("_user_rows", {})  # the graph is built inside Recommender.__init__
        rows[train] = self._user_representation(latent.get_outputs()[0], ids, train)

    def _build_item_extractions(self, train=True):
        # Training looks up the rows of all item inputs at once and splits them by input;
        # serving takes the whole tables.
        ids = None
        if train:
            inputs = [self._get_input(name) for name in self.training_item_inputs]
            ids = tf.concat([tf.reshape(one, [-1]) for one in inputs], axis=0)
            sizes = [tf.size(one) for one in inputs]
        factors = self._add_module("item_vec", self._latent_module("item", ids, train), train=train)
        biases = self._add_module("item_bias", LatentFactor(
            [self._max_item, 1], init="zero", ids=ids, l2_reg=self._l2_reg, scope="item_bias"), train=train)
        items = self._item_representation(factors.get_outputs()[0], ids, train)
        if not train:
            self._all_items = (items, biases.get_outputs()[0])
            return
        width = int(items.shape[-1])
        self._item_rows = {}
        for name, one, rows, bias in zip(self.training_item_inputs, inputs, tf.split(items, sizes),
                                         tf.split(biases.get_outputs()[0], sizes)):
            shape = tf.shape(one)
            self._item_rows[self._role(name)] = (tf.reshape(rows, tf.concat([shape, [width]], 0)),
                                                 tf.reshape(bias, tf.concat([shape, [1]], 0)))
        self._trained_item_ids = ids

    def _user(self, train: bool) -> tf.Tensor:
        """The batch's user representations in one graph."""
        return self._user_rows[train]

    def _training_item(self, input_name: str):
        """``(representations, biases)`` of the batch rows of one training item input."""
        return self._item_rows[self._role(input_name)]

    def _build_default_interactions(self, train=True):
        if train:
            self._build_training_interaction()
            return
        user = self._user(False)
        items, biases = self._all_items
        item_id = self._get_input("item_id", False)
        all_items = self._scoring_interaction(user, items, biases, all_items=True, scope="interaction")
        pairs = self._scoring_interaction(user, tf.gather(items, item_id), tf.gather(biases, item_id),
                                          all_items=False, scope="interaction_pairs")
        self._add_module("interaction", all_items, train=False)
        self._add_module("interaction_pairs", pairs, train=False)
        self._serve_item_scores(all_items, pairs)

    def embedding_tensors(self):
        """Users' representations (by ``user_id``), every item's representation and bias."""
        items, biases = self._all_items
        return {"user_factors": (self._user(False), "user_id"), "item_factors": (items, None),
                "item_bias": (biases, None)}

    def _build_training_interaction(self) -> None:
        """Build and register the training interaction (its loss trains the model)."""
        raise NotImplementedError

    def _scoring_interaction(self, user, item, item_bias, all_items: bool, scope: str) -> Interaction:
        """Build a serving interaction scoring all items (``[N, d]`` item) or pairs."""
        raise NotImplementedError
