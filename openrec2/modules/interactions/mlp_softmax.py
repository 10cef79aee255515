"""MLPSoftmax: a ReLU tower over a user representation, then a softmax over every item.

The candidate-generation head of Covington, Adams and Sargin, "Deep Neural Networks
for YouTube Recommendations", RecSys 2016: next-item prediction is extreme multiclass
classification. The tower maps the user's input vector to a user vector ``u``; item
``i`` scores ``<u, v_i> + b_i`` with its own output embedding ``v_i``. Serving scores
every item (the paper's nearest-neighbour lookup, done exactly here). Training uses the
full softmax cross-entropy, or, with ``softmax_samples=n``, the sampled softmax the
paper trains with: the true item against ``n`` items drawn uniformly (with
replacement; a draw equal to the true item is removed), with the log-expected-count
correction, so a step touches ``n + B`` output rows instead of all of them.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.checks import require_dims, require_rate, require_tensor
from openrec2.modules.extractions import MultiLayerFC
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.step_random import step_uniform_ints
from openrec2.validation import check_int


class MLPSoftmax(Interaction):
    """Scores of every item (serving) and the softmax loss of the next item (training).

    Outputs (serving): ``[logits [B, max_item]]``, plus ``[B]`` logits of the pairs
    when ``item_ids`` is given (computed without the all-item logits). Training:
    ``[user vectors [B, dims[-1]]]`` and the mean cross-entropy as the loss.

    Args:
        user: Float ``[B, D]`` user representation (history average, side features, ...).
        dims: Widths of the ReLU layers; the last is the size of the user vector and of
            the output item embeddings.
        max_item: Number of items (softmax classes).
        labels: Integer ``[B]`` true next items (training graph).
        item_ids: Integer ``[B]`` items to score against each row (serving, optional).
        softmax_samples: Items sampled per training step for the sampled softmax; None
            trains on the full softmax.
        dropout: Drop probability after each ReLU layer (training only).
        l2_reg: L2 weight on the tower's weights (the item embeddings stay sparse).
        train: Training or serving graph.
        scope: Variable scope (default ``mlp_softmax``).
        reuse: Reuse flag.

    Raises:
        MissingInputError: Training without ``labels``.
        ShapeError / DTypeError: A badly shaped or typed input.
        SettingError: Bad ``dims``, ``max_item``, ``dropout``, or ``softmax_samples``
            not in ``[1, max_item)``.
    """

    def __init__(self, user, dims: Sequence[int], max_item: int, labels=None, item_ids=None,
                 softmax_samples: Optional[int] = None, dropout: Optional[float] = None,
                 l2_reg: Optional[float] = None, train: bool = True, scope: Optional[str] = None, reuse=False):
        name = scope or 'mlp_softmax'
        self._user = require_tensor(user, name, 'user', ranks=[2], integer=False)
        self._dims = require_dims(dims, name)
        self._max_item = check_int(max_item, 'max_item', name)
        self._softmax_samples = check_int(softmax_samples, 'softmax_samples', name, maximum=self._max_item - 1,
                                          allow_none=True)
        self._dropout = require_rate(dropout, name, 'dropout')
        if train and labels is None:
            raise MissingInputError(scoped(name, 'training needs `labels` (the true next item of every row).'))
        self._labels = None if labels is None else require_tensor(labels, name, 'labels', ranks=[1], integer=True)
        self._item_ids = None if item_ids is None else require_tensor(item_ids, name, 'item_ids', ranks=[1],
                                                                      integer=True)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _build_shared_graph(self) -> None:
        tower = MultiLayerFC(self._user, self._dims, relu_mid=True, relu_out=True, dropout_mid=self._dropout,
                             dropout_out=self._dropout, train=self._train, l2_reg=self._l2_reg, scope='tower')
        self._loss += tower.get_loss()
        self._user_vector = tower.get_outputs()[0]
        width = self._dims[-1]
        self._item_embedding = tf.get_variable('item_embedding', [self._max_item, width],
                                               initializer=tf.glorot_uniform_initializer())
        self._item_bias = tf.get_variable('item_bias', [self._max_item], initializer=tf.zeros_initializer())

    def _build_serving_graph(self) -> None:
        self._outputs.append(tf.matmul(self._user_vector, self._item_embedding, transpose_b=True) + self._item_bias)
        if self._item_ids is not None:
            rows = tf.gather(self._item_embedding, self._item_ids)
            self._outputs.append(tf.reduce_sum(self._user_vector * rows, axis=1)
                                 + tf.gather(self._item_bias, self._item_ids))

    def _build_training_graph(self) -> None:
        self._outputs.append(self._user_vector)
        labels = tf.cast(self._labels, tf.int64)
        if self._softmax_samples is None:
            logits = tf.matmul(self._user_vector, self._item_embedding, transpose_b=True) + self._item_bias
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        else:
            losses = tf.nn.sampled_softmax_loss(
                weights=self._item_embedding, biases=self._item_bias, labels=labels[:, None],
                inputs=self._user_vector, num_sampled=self._softmax_samples, num_classes=self._max_item,
                sampled_values=self._uniform_samples(labels), remove_accidental_hits=True)
        self._loss += tf.reduce_mean(losses)

    def _uniform_samples(self, labels: tf.Tensor) -> tuple:
        """Uniform draws (from the training step, so resumed runs draw the same) and
        their expected counts, ``n / max_item`` for every class under uniform sampling."""
        count = self._softmax_samples
        expected = count / self._max_item
        sampled = step_uniform_ints([count], self._max_item)
        true_expected = tf.fill(tf.shape(labels[:, None]), tf.constant(expected, tf.float32))
        return sampled, true_expected, tf.fill([count], tf.constant(expected, tf.float32))

    @property
    def softmax_samples(self) -> Optional[int]:
        """Items sampled per training step (None: full softmax)."""
        return self._softmax_samples
