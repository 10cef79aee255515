"""A long short-term memory cell in plain TensorFlow (Hochreiter and Schmidhuber, "Long
Short-Term Memory", Neural Computation 1997; the forget gate of Gers, Schmidhuber and
Cummins, 2000).

With input gate ``i``, forget gate ``f``, output gate ``o`` and candidate ``g``::

    [i, f, g, o] = x W + h U + b
    c' = sigmoid(f + 1) * c + sigmoid(i) * tanh(g)
    h' = sigmoid(o) * tanh(c')

The ``+ 1`` starts the forget gate open, so early in training the memory is kept.
The cell carries its memory and output as one state tensor ``[c, h]`` of width
``2 * hidden_size``, so :func:`~openrec2.modules.recurrent.dynamic_gru` unrolls it like
a GRU; :meth:`LSTMCell.output_of` takes the ``h`` half back out.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_int

#: Added to the forget gate's pre-activation (keeps the memory at the start of training).
FORGET_BIAS = 1.0


class LSTMCell:
    """An LSTM cell whose variables are created once, at construction.

    Like :class:`~openrec2.modules.recurrent.GRUCell` it is no module: build it inside a
    module's scope; it builds ops only when stepped.

    Args:
        input_size: Width of the inputs ``x``.
        hidden_size: Width of the output ``h`` (and of the memory ``c``).
        scope: Variable scope of the cell's variables (default ``lstm_cell``).

    Raises:
        SettingError: A size that is not a positive integer.
    """

    def __init__(self, input_size: int, hidden_size: int, scope: Optional[str] = None):
        self.scope_name = scope or 'lstm_cell'
        self.input_size = check_int(input_size, 'input_size', self.scope_name)
        self.hidden_size = check_int(hidden_size, 'hidden_size', self.scope_name)
        glorot = tf.glorot_uniform_initializer()
        with tf.variable_scope(self.scope_name):
            # Gate columns: [input | forget | candidate | output].
            self.input_weights = tf.get_variable('input_weights', [self.input_size, 4 * self.hidden_size],
                                                 initializer=glorot)
            self.state_weights = tf.get_variable('state_weights', [self.hidden_size, 4 * self.hidden_size],
                                                 initializer=glorot)
            self.bias = tf.get_variable('bias', [4 * self.hidden_size], initializer=tf.zeros_initializer())

    @property
    def state_size(self) -> int:
        """Width of the carried state ``[c, h]``: ``2 * hidden_size``."""
        return 2 * self.hidden_size

    def output_of(self, state: tf.Tensor) -> tf.Tensor:
        """The output ``h`` of a carried state ``[..., 2 * hidden_size]``."""
        return state[..., self.hidden_size:]

    def project_inputs(self, inputs: tf.Tensor) -> tf.Tensor:
        """The input part of the four gates, ``x W + b``: ``[..., input_size]`` to
        ``[..., 4 * hidden_size]`` (a whole sequence at once)."""
        flat = tf.matmul(tf.reshape(inputs, [-1, self.input_size]), self.input_weights) + self.bias
        return tf.reshape(flat, tf.concat([tf.shape(inputs)[:-1], [4 * self.hidden_size]], 0))

    def __call__(self, inputs: tf.Tensor, state: tf.Tensor) -> tf.Tensor:
        """One step from raw inputs ``[B, input_size]`` and a state ``[B, 2 * hidden_size]``."""
        return self.step(self.project_inputs(inputs), state)

    def step(self, projected_inputs: tf.Tensor, state: tf.Tensor,
             attention: Optional[tf.Tensor] = None) -> tf.Tensor:
        """One step on inputs already passed through :meth:`project_inputs`.

        Args:
            projected_inputs: ``[B, 4 * hidden_size]``.
            state: ``[B, 2 * hidden_size]`` carried ``[c, h]``.
            attention: Must be None (the LSTM has no attentional variant here).

        Returns:
            The new state ``[B, 2 * hidden_size]``.

        Raises:
            UnknownOptionError: ``attention`` was given.
        """
        if attention is not None:
            raise UnknownOptionError(scoped(self.scope_name, 'an LSTM takes no attention scores.'))
        memory, output = tf.split(state, 2, axis=1)
        gates = projected_inputs + tf.matmul(output, self.state_weights)
        input_gate, forget_gate, candidate, output_gate = tf.split(gates, 4, axis=1)
        memory = tf.sigmoid(forget_gate + FORGET_BIAS) * memory + tf.sigmoid(input_gate) * tf.tanh(candidate)
        output = tf.sigmoid(output_gate) * tf.tanh(memory)
        return tf.concat([memory, output], axis=1)
