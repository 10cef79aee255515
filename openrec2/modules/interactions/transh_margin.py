"""TransHMargin: the TransH knowledge-graph loss and triple scores (Wang, Zhang, Feng and
Chen, "Knowledge Graph Embedding by Translating on Hyperplanes", AAAI 2014), as used by
the KG part of KTUP (Cao et al., WWW 2019).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.checks import optional_matrix
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.transh import norm_excess_loss, orthogonality_loss, transh_distance
from openrec2.validation import check_positive


class TransHMargin(Interaction):
    """Margin loss of true against tail-corrupted triples under TransH.

    Training loss, summed over the batch::

        max(0, margin + d(h, r, t) - d(h, r, t'))
        + orthogonality(relation, relation_normal)
        + norm_excess(h, t, t', relation)

    with ``d`` the TransH distance (:func:`~openrec2.modules.transh.transh_distance`).
    The output is the triple score ``-d(h, r, t)`` (higher is more plausible), in
    training and serving.

    Args:
        head: ``[B, d]`` head entity vectors.
        relation: ``[B, d]`` relation translation vectors.
        relation_normal: ``[B, d]`` relation hyperplane normals.
        tail: ``[B, d]`` tail entity vectors.
        corrupted_tail: ``[B, d]`` corrupted tail vectors (training only).
        margin: Margin of the hinge, ``> 0``.
        L1_flag: L1 distance, or squared L2.
        train: Training or serving graph.
        scope: Variable scope (default ``transh_margin``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: training without ``corrupted_tail``.
        SettingError: a non-positive ``margin``.
        ShapeError / DTypeError: an input is not a 2-d float tensor.
    """

    default_scope = "transh_margin"

    def __init__(self, head, relation, relation_normal, tail, corrupted_tail=None, margin: float = 1.0,
                 L1_flag: bool = False, train: bool = True, scope: Optional[str] = None, reuse=False):
        name = scope or self.default_scope_name()

        self._head, self._relation, self._normal, self._tail = (
            optional_matrix(value, name, what) for value, what in (
                (head, "head"), (relation, "relation"), (relation_normal, "relation_normal"), (tail, "tail")))
        self._corrupted = optional_matrix(corrupted_tail, name, "corrupted_tail")
        if train and self._corrupted is None:
            raise MissingInputError(scoped(name, "training needs `corrupted_tail` vectors."))
        self._margin = check_positive(margin, "margin", name)
        self._l1 = bool(L1_flag)
        super().__init__(train=train, scope=scope, reuse=reuse)

    def _distance(self, tail: tf.Tensor) -> tf.Tensor:
        return transh_distance(self._head, self._relation, self._normal, tail, self._l1)

    def _build_training_graph(self) -> None:
        positive, negative = self._distance(self._tail), self._distance(self._corrupted)
        self._loss += tf.reduce_sum(tf.nn.relu(self._margin + positive - negative))
        self._loss += orthogonality_loss(self._relation, self._normal)
        self._loss += norm_excess_loss(tf.concat([self._head, self._tail, self._corrupted, self._relation], 0))
        self._outputs.append(-positive)

    def _build_serving_graph(self) -> None:
        self._outputs.append(-self._distance(self._tail))
