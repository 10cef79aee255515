"""A gated recurrent unit cell in plain TensorFlow (Cho et al., "Learning Phrase
Representations using RNN Encoder-Decoder for Statistical Machine Translation", EMNLP
2014).

With update gate ``u``, reset gate ``r`` and candidate ``h~``::

    r  = sigmoid(x W_r + h U_r + b_r)
    u  = sigmoid(x W_u + h U_u + b_u)
    h~ = tanh(x W_h + b_h + r * (h U_h + c_h))
    h' = (1 - u) * h + u * h~
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError, scoped
from openrec2.validation import check_int


class GRUCell:
    """A GRU cell whose variables are created once, at construction.

    The cell is not a :class:`~openrec2.modules.module.Module`: it is called once per
    time step (inside ``tf.scan``), so it creates its variables with ``tf.get_variable``
    in the current variable scope when constructed and only builds ops when called.
    Build it inside a module's scope; the serving graph shares the variables through
    the enclosing reusing scope.

    Args:
        input_size: Width of the inputs ``x``.
        hidden_size: Width of the state ``h``.
        bias: Use bias vectors.
        scope: Variable scope of the cell's variables.

    Raises:
        SettingError: A size that is not a positive integer.
    """

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, scope: Optional[str] = None):
        self.scope_name = scope or type(self).__name__.lower().replace('cell', '_cell')
        self.input_size = check_int(input_size, 'input_size', self.scope_name)
        self.hidden_size = check_int(hidden_size, 'hidden_size', self.scope_name)
        self.bias = bool(bias)
        glorot = tf.glorot_uniform_initializer()
        with tf.variable_scope(self.scope_name):
            # Gate columns: [reset | update | candidate].
            self.input_weights = tf.get_variable('input_weights', [self.input_size, 3 * self.hidden_size],
                                                 initializer=glorot)
            self.state_weights = tf.get_variable('state_weights', [self.hidden_size, 3 * self.hidden_size],
                                                 initializer=glorot)
            if self.bias:
                self.input_bias = tf.get_variable('input_bias', [3 * self.hidden_size],
                                                  initializer=tf.zeros_initializer())
                self.state_bias = tf.get_variable('state_bias', [3 * self.hidden_size],
                                                  initializer=tf.zeros_initializer())

    @property
    def state_size(self) -> int:
        """Width of the carried state (the GRU carries its output ``h`` alone)."""
        return self.hidden_size

    def output_of(self, state: tf.Tensor) -> tf.Tensor:
        """The output of a carried state: the state itself for a GRU."""
        return state

    def project_inputs(self, inputs: tf.Tensor) -> tf.Tensor:
        """The input part of all three gates, ``x W + b``: ``[..., input_size]`` to
        ``[..., 3 * hidden_size]``. It does not depend on the state, so a whole sequence
        is projected at once (:func:`dynamic_gru`) rather than once per step."""
        flat = tf.matmul(tf.reshape(inputs, [-1, self.input_size]), self.input_weights)
        if self.bias:
            flat += self.input_bias
        return tf.reshape(flat, tf.concat([tf.shape(inputs)[:-1], [3 * self.hidden_size]], 0))

    def gates(self, inputs: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """The update gate and the candidate state of one step.

        Args:
            inputs: ``[B, input_size]``.
            state: ``[B, hidden_size]``.

        Returns:
            ``(update, candidate)``, each ``[B, hidden_size]``.
        """
        return self._projected_gates(self.project_inputs(inputs), state)

    def _projected_gates(self, from_input: tf.Tensor, state: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        """:meth:`gates` from the inputs' projection ``[B, 3 * hidden_size]``."""
        from_state = tf.matmul(state, self.state_weights)
        if self.bias:
            from_state += self.state_bias
        input_reset, input_update, input_candidate = tf.split(from_input, 3, axis=1)
        state_reset, state_update, state_candidate = tf.split(from_state, 3, axis=1)
        reset = tf.sigmoid(input_reset + state_reset)
        update = tf.sigmoid(input_update + state_update)
        candidate = tf.tanh(input_candidate + reset * state_candidate)
        return update, candidate

    def __call__(self, inputs: tf.Tensor, state: tf.Tensor, attention: Optional[tf.Tensor] = None) -> tf.Tensor:
        """One step: ``h' = (1 - g) * h + g * h~`` with ``g`` the (attentional) update gate.

        Args:
            inputs: ``[B, input_size]``.
            state: ``[B, hidden_size]``.
            attention: Scores ``[B]`` or ``[B, 1]`` for the attentional cells; must be
                ``None`` for a plain GRU.

        Returns:
            The new state ``[B, hidden_size]``.

        Raises:
            UnknownOptionError: ``attention`` given to a plain GRU, or missing for an
                attentional cell.
        """
        return self.step(self.project_inputs(inputs), state, attention)

    def step(self, projected_inputs: tf.Tensor, state: tf.Tensor,
             attention: Optional[tf.Tensor] = None) -> tf.Tensor:
        """:meth:`__call__` on inputs already passed through :meth:`project_inputs`."""
        update, candidate = self._projected_gates(projected_inputs, state)
        gate = self.update_gate(update, attention)
        return (1.0 - gate) * state + gate * candidate

    def update_gate(self, update: tf.Tensor, attention: Optional[tf.Tensor]) -> tf.Tensor:
        """The gate that mixes state and candidate: the GRU's own update gate here.

        Args:
            update: ``[B, hidden_size]`` update gate of the step.
            attention: Must be ``None``.

        Returns:
            ``update``.

        Raises:
            UnknownOptionError: ``attention`` was given.
        """
        if attention is not None:
            raise UnknownOptionError(scoped(self.scope_name, (
                'a plain GRU takes no attention; use AGRUCell or AUGRUCell, or scale the inputs (AIGRU).')))
        return update

    def _require_attention(self, attention: Optional[tf.Tensor]) -> tf.Tensor:
        """``attention`` as ``[B, 1]``, for the attentional subclasses."""
        if attention is None:
            raise UnknownOptionError(scoped(self.scope_name, 'this cell needs `attention` scores [B] or [B, 1].'))
        return tf.reshape(attention, [-1, 1])
