"""TUP: translation-based user preference (the recommendation part of KTUP; Cao, Wang,
He, Hu and Chua, "Unifying Knowledge Graph Learning and Recommendation: Towards a Better
Understanding of User Preferences", WWW 2019).

For a (user, item) pair a preference ``p`` is induced from ``u + i`` against the
preference table (straight-through Gumbel: one hard choice; or a soft weighting), and
the pair scores ``-|| P_p(u) + r_p - P_p(i) ||`` with ``P_p`` the TransH projection onto
the preference's hyperplane. Training uses the BPR loss plus TransH's orthogonality
constraint on the preference table.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import optional_matrix, require_item_inputs
from openrec2.modules.gumbel_softmax import st_gumbel_softmax
from openrec2.modules.interactions.block_map import map_row_blocks
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.transh import orthogonality_loss, transh_distance

#: Default bound on the (user, item) pairs scored at once by the all-item serving graph.
DEFAULT_PAIRS_PER_CHUNK = 1 << 16


def induce_preference(user: tf.Tensor, item: tf.Tensor, preference: tf.Tensor, preference_normal: tf.Tensor,
                      use_st_gumbel: bool, train: bool, temperature: float = 1.0):
    """Choose (or weight) a preference per (user, item) pair.

    The logits are ``(u + i) . r_k`` for each preference ``k``; with ``use_st_gumbel``
    the weights are the straight-through Gumbel one-hot (noise only when ``train``),
    else the softmax of the logits.

    Args:
        user: ``[..., d]`` user vectors.
        item: ``[..., d]`` item vectors (broadcastable with ``user``).
        preference: ``[P, d]`` preference translations.
        preference_normal: ``[P, d]`` preference hyperplane normals.
        use_st_gumbel: Hard straight-through choice, or soft weighting.
        train: Training graph (Gumbel noise) or serving graph (deterministic).
        temperature: Temperature of the Gumbel-softmax.

    Returns:
        ``(weights [..., P], translation [..., d], normal [..., d])``.
    """
    pair = user + item
    axis = pair.shape.ndims - 1
    logits = tf.tensordot(pair, preference, axes=[[axis], [1]])
    if use_st_gumbel:
        weights = st_gumbel_softmax(logits, temperature, noise=train)
    else:
        weights = tf.nn.softmax(logits, axis=-1)
    translation = tf.tensordot(weights, preference, axes=[[axis], [0]])
    normal = tf.tensordot(weights, preference_normal, axes=[[axis], [0]])
    return weights, translation, normal


class TUP(Interaction):
    """Translation-based user-preference scores and the BPR loss over them.

    Args:
        user: ``[B, d]`` user vectors.
        preference: ``[P, d]`` preference translation table.
        preference_normal: ``[P, d]`` preference normal table.
        p_item, n_item: ``[B, d]`` positive / negative item vectors (training; serving
            with ``p_item`` alone scores the pairs ``(user, p_item)``, ``[B]``).
        item: ``[N, d]`` all item vectors (serving: ``[B, N]`` scores, computed in item
            chunks of at most ``pairs_per_chunk`` (user, item) pairs).
        use_st_gumbel: Hard straight-through preference choice, or soft weighting.
        L1_flag: L1 distance, or squared L2.
        temperature: Gumbel-softmax temperature.
        pairs_per_chunk: Memory bound of the all-item serving graph.
        train: Training or serving graph.
        scope: Variable scope (default ``tup``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: training without both items, or serving without ``item`` or
            ``p_item``.
        ShapeError: a representation is not 2-d, or the tables differ in shape.
        DTypeError: a representation is not floating point.
    """

    def __init__(self, user, preference, preference_normal, p_item=None, n_item=None, item=None,
                 use_st_gumbel: bool = True, L1_flag: bool = False, temperature: float = 1.0,
                 pairs_per_chunk: int = DEFAULT_PAIRS_PER_CHUNK, train: bool = True,
                 scope: Optional[str] = None, reuse=False):
        name = scope or "tup"
        self._user = optional_matrix(user, name, "user")
        self._preference = optional_matrix(preference, name, "preference")
        self._normal = optional_matrix(preference_normal, name, "preference_normal")
        if self._preference.shape.as_list() != self._normal.shape.as_list():
            raise ShapeError(scoped(name, (
                f"`preference` {self._preference.shape} and `preference_normal` {self._normal.shape} must "
                "have the same shape [P, d].")))
        self._p_item, self._n_item, self._item = require_item_inputs(p_item, n_item, item, train, name)
        self._use_st_gumbel = bool(use_st_gumbel)
        self._l1 = bool(L1_flag)
        self._temperature = float(temperature)
        self._pairs_per_chunk = int(pairs_per_chunk)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def scores(self, user: tf.Tensor, item: tf.Tensor) -> tf.Tensor:
        """Scores ``-|| P(u) + r - P(i) ||`` of broadcastable user / item vectors.

        Args:
            user: ``[..., d]`` user vectors.
            item: ``[..., d]`` item vectors.

        Returns:
            ``[...]`` scores (higher is better).
        """
        _, translation, normal = induce_preference(user, item, self._preference, self._normal,
                                                   self._use_st_gumbel, self._train, self._temperature)
        return -transh_distance(user, translation, normal, item, self._l1)

    def _build_training_graph(self) -> None:
        positive = self.scores(self._user, self._p_item)
        negative = self.scores(self._user, self._n_item)
        self._loss += tf.reduce_sum(tf.nn.softplus(negative - positive))
        self._loss += orthogonality_loss(self._preference, self._normal)
        self._outputs.append(positive - negative)

    def _build_serving_graph(self) -> None:
        if self._item is None:
            self._outputs.append(self.scores(self._user, self._p_item))
            return
        self._outputs.append(self._all_item_scores())

    def _all_item_scores(self) -> tf.Tensor:
        """``[B, N]`` scores, one chunk of items at a time (bounded memory)."""
        chunk = tf.maximum(1, self._pairs_per_chunk // tf.maximum(tf.shape(self._user)[0], 1))
        users = tf.expand_dims(self._user, 1)
        # Each block of items gives [chunk, B] scores; the blocks stack to [N, B].
        return tf.transpose(map_row_blocks(lambda items: tf.transpose(self.scores(users, tf.expand_dims(items, 0))),
                                           self._item, chunk))
