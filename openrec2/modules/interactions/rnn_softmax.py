"""RNNSoftmax: a recurrent network over an item sequence with a softmax over all items
for the next one, the interaction of session-based recommendation (Hidasi, Karatzoglou,
Baltrunas and Tikk, "Session-based Recommendations with Recurrent Neural Networks",
ICLR 2016).

A GRU (or LSTM) reads the embedded items of each padded sequence up to its real length.
The next item's logits are ``h W^T + b`` with one output row ``W_i`` and bias ``b_i``
per item. Training minimises the cross-entropy of the true next item:

* after the last real position only, when ``label`` is ``[B]`` (the original OpenRec
  interaction), or after every real position, when ``label`` is ``[B, T]`` (``label[b, t]``
  is the item that followed position ``t``); padded positions never count;
* over all items (full softmax), or, with ``softmax_samples = k``, over the true item
  and ``k`` items drawn uniformly (with replacement, the same draw for the whole
  batch; Jean et al., ACL 2015), whose logits are corrected by their expected counts
  (``tf.nn.sampled_softmax_loss``). The sampled loss never computes the logits of all
  items. The draw is a function of the graph seed and the training step, so a resumed
  run draws what the uninterrupted one would.

Serving outputs the logits of every item for the position after the real history.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.interactions.interaction import Interaction
from openrec2.modules.recurrent import GRUCell, LSTMCell, dynamic_gru
from openrec2.modules.step_random import step_uniform_ints
from openrec2.validation import check_choice, check_int

#: Recurrent cells of :class:`RNNSoftmax`, by ``cell_type``.
RNN_CELL_TYPES = {'gru': GRUCell, 'lstm': LSTMCell}


class RNNSoftmax(Interaction):
    """Next-item softmax over the state of a recurrent network.

    Outputs: serving ``[scores]``, the ``[B, total_items]`` logits of the next item;
    training ``[final_state]``, the ``[B, num_units]`` state after the real history.
    Loss (training): the mean next-item cross-entropy over the counted positions, plus
    ``l2_reg * l2_loss(W)``.

    Args:
        seq_item_vec: Float ``[B, T, D]`` embedded items, oldest first, left-aligned.
        total_items: Number of items (rows of the output layer).
        seq_len: Integer ``[B]`` real lengths (``0 <= seq_len <= T``).
        num_units: Width of the recurrent state.
        cell_type: ``'gru'`` or ``'lstm'``.
        softmax_samples: None for the full softmax; else the number ``k`` of sampled
            items of the sampled softmax (``1 <= k < total_items``).
        label: Integer next items (training): ``[B]`` for the last real position or
            ``[B, T]`` for every real position.
        train: Training or serving graph.
        l2_reg: L2 weight on the output layer's item rows ``W``.
        scope: Variable scope (default ``rnn_softmax``).
        reuse: Reuse flag.

    Raises:
        SettingError: An unknown ``cell_type`` or a bad size.
        MissingInputError: Training without ``label``.
        ShapeError / DTypeError: Inputs of the wrong rank, width or dtype.
    """

    def __init__(self, seq_item_vec, total_items: int, seq_len, num_units: int, cell_type: str = 'gru',
                 softmax_samples: Optional[int] = None, label=None, train: bool = True,
                 l2_reg: Optional[float] = None, scope: Optional[str] = None, reuse=False):
        name = scope or 'rnn_softmax'
        self._inputs = require_tensor(seq_item_vec, name, 'seq_item_vec', ranks=[3], integer=False)
        self._lengths = require_tensor(seq_len, name, 'seq_len', ranks=[1], integer=True)
        self._total_items = check_int(total_items, 'total_items', name)
        self._num_units = check_int(num_units, 'num_units', name)
        self._cell_type = check_choice(cell_type, 'cell_type', name, RNN_CELL_TYPES)
        self._softmax_samples = check_int(softmax_samples, 'softmax_samples', name,
                                          maximum=self._total_items - 1, allow_none=True)
        self._label = self._checked_label(label, train, name)
        super().__init__(train=train, l2_reg=l2_reg, scope=scope, reuse=reuse)

    def _checked_label(self, label, train: bool, name: str) -> Optional[tf.Tensor]:
        if label is None:
            if train:
                raise MissingInputError(scoped(name, 'training needs `label`: the next items, [B] or [B, T].'))
            return None
        label = require_tensor(label, name, 'label', ranks=[1, 2], integer=True)
        steps = self._inputs.shape[1]
        if label.shape.ndims == 2 and label.shape[1] is not None and steps is not None and label.shape[1] != steps:
            raise ShapeError(scoped(name, f'a [B, T] `label` needs T = {steps} (the sequence length), '
                                          f'got shape {label.shape}.'))
        return label

    def _build_shared_graph(self) -> None:
        cell = RNN_CELL_TYPES[self._cell_type](int(self._inputs.shape[-1]), self._num_units)
        self._states, self._final_state = dynamic_gru(cell, self._inputs, self._lengths)
        self._weights = tf.get_variable('weights', [self._total_items, self._num_units],
                                        initializer=tf.glorot_uniform_initializer())
        self._biases = tf.get_variable('biases', [self._total_items], initializer=tf.zeros_initializer())

    def _build_training_graph(self) -> None:
        if self._label.shape.ndims == 1:
            hidden, targets = self._final_state, self._label
        else:  # every real position: gather the states and next items where t < seq_len
            real = tf.sequence_mask(self._lengths, tf.shape(self._inputs)[1])
            hidden, targets = tf.boolean_mask(self._states, real), tf.boolean_mask(self._label, real)
        targets = tf.cast(targets, tf.int64)
        if self._softmax_samples is None:
            losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=self._logits(hidden))
        else:
            losses = self._sampled_losses(hidden, targets)
        # An empty selection (no real position) adds nothing rather than NaN.
        self._loss += tf.reduce_sum(losses) / tf.maximum(tf.cast(tf.size(losses), tf.float32), 1.0)
        self._add_l2([self._weights])
        self._outputs.append(self._final_state)

    def _sampled_losses(self, hidden: tf.Tensor, targets: tf.Tensor) -> tf.Tensor:
        """Sampled-softmax cross-entropy of each row against ``softmax_samples`` uniform items."""
        samples, items = self._softmax_samples, self._total_items
        candidates = step_uniform_ints([samples], items)
        # Uniform draws with replacement: every item is expected samples / items times.
        expected = samples / items
        true_expected = tf.fill(tf.stack([tf.shape(targets)[0], 1]), expected)
        sampled_expected = tf.fill([samples], expected)
        return tf.nn.sampled_softmax_loss(
            weights=self._weights, biases=self._biases, labels=targets[:, None], inputs=hidden,
            num_sampled=samples, num_classes=items,
            sampled_values=(candidates, true_expected, sampled_expected), remove_accidental_hits=True)

    def _build_serving_graph(self) -> None:
        self._outputs.append(self._logits(self._final_state))

    def _logits(self, hidden: tf.Tensor) -> tf.Tensor:
        """``[n, total_items]`` next-item logits of ``[n, num_units]`` states."""
        return tf.matmul(hidden, self._weights, transpose_b=True) + self._biases

    @property
    def cell_type(self) -> str:
        """The recurrent cell: ``'gru'`` or ``'lstm'``."""
        return self._cell_type
