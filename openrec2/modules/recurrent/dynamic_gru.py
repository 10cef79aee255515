"""Unroll a recurrent cell (GRU family or LSTM) over padded sequences with ``tf.scan``,
honouring lengths.

Step ``t`` of a sequence of length ``n`` updates the state only when ``t < n``; later
(padded) steps keep it, so the final state is the state after the last real input and
whatever the padding holds never changes a result. A cell carries a state of width
``cell.state_size`` and exposes its output with ``cell.output_of(state)`` (the state
itself for a GRU, the ``h`` half of ``[c, h]`` for an LSTM).
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.checks import require_tensor
from openrec2.modules.recurrent.gru_cell import GRUCell


def dynamic_gru(cell: GRUCell, inputs, lengths, attention=None,
                initial_state: Optional[tf.Tensor] = None) -> tuple[tf.Tensor, tf.Tensor]:
    """Run ``cell`` over ``[B, T, D]`` inputs, left-aligned and padded after ``lengths``.

    Args:
        cell: A :class:`GRUCell` (or AGRU/AUGRU cell, or an
            :class:`~openrec2.modules.recurrent.LSTMCell`) with ``input_size == D``.
        inputs: Float ``[B, T, D]``.
        lengths: Integer ``[B]`` real lengths (``0 <= length <= T``).
        attention: Float ``[B, T]`` per-step scores for attentional cells, else None.
        initial_state: ``[B, cell.state_size]`` starting state (zeros by default).

    Returns:
        ``(outputs, final_state)``: ``[B, T, H]`` states after each step (zero at padded
        steps) and ``[B, H]`` the state after the last real step.

    Raises:
        ShapeError: ``inputs`` width differs from ``cell.input_size``.
        DTypeError: Wrong dtypes.
    """
    scope = 'dynamic_gru'
    inputs = require_tensor(inputs, scope, 'inputs', ranks=[3], integer=False)
    lengths = require_tensor(lengths, scope, 'lengths', ranks=[1], integer=True)
    if inputs.shape[-1] is not None and int(inputs.shape[-1]) != cell.input_size:
        raise ShapeError(scoped(scope, (
            f'inputs have width {int(inputs.shape[-1])} but the cell expects input_size={cell.input_size}.')))
    steps = tf.shape(inputs)[1]
    mask = tf.sequence_mask(lengths, steps, dtype=tf.float32)  # [B, T]
    if initial_state is None:
        initial_state = tf.zeros([tf.shape(inputs)[0], cell.state_size], dtype=tf.float32)
    if inputs.shape[1] == 0:  # statically empty sequences: no step to run
        return tf.zeros([tf.shape(inputs)[0], 0, cell.hidden_size]), cell.output_of(initial_state)
    # The input half of the gates for every step in one product, outside the loop.
    time_major = [tf.transpose(cell.project_inputs(inputs), [1, 0, 2]), tf.transpose(mask)[:, :, None]]
    if attention is not None:
        attention = require_tensor(attention, scope, 'attention', ranks=[2], integer=False)
        time_major.append(tf.transpose(attention)[:, :, None])

    def step(state: tf.Tensor, elements) -> tf.Tensor:
        step_input, real = elements[0], elements[1]
        new_state = cell.step(step_input, state, elements[2] if attention is not None else None)
        # Padded steps keep the previous state exactly.
        return real * new_state + (1.0 - real) * state

    states = tf.scan(step, tuple(time_major), initializer=initial_state)  # [T, B, H]
    outputs = cell.output_of(tf.transpose(states, [1, 0, 2])) * mask[:, :, None]
    final_state = tf.cond(steps > 0, lambda: states[-1], lambda: initial_state)
    return outputs, cell.output_of(final_state)
