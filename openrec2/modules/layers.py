"""Plain-TensorFlow layer functions (no Keras): dense, batch norm, dropout.

They create variables with ``tf.get_variable`` in the current variable scope, so they
share variables through the enclosing module's scope like everything else.
"""

from __future__ import annotations

from typing import Optional

import tensorflow.compat.v1 as tf

#: Momentum of the batch-norm moving averages.
BATCH_NORM_MOMENTUM = 0.99
BATCH_NORM_EPSILON = 1e-3


def dense(inputs: tf.Tensor, units: int, use_bias: bool = True, scope: str = "dense",
          weights_initializer=None) -> tf.Tensor:
    """A fully connected layer ``inputs @ W (+ b)`` over the last axis.

    Args:
        inputs: Float tensor ``[..., in_dim]`` with a known last dimension.
        units: Output width.
        use_bias: Add a bias vector.
        scope: Variable scope of the layer's variables.
        weights_initializer: Initializer of ``W`` (Glorot uniform by default).

    Returns:
        A tensor ``[..., units]``.
    """
    in_dim = int(inputs.shape[-1])
    with tf.variable_scope(scope):
        weights = tf.get_variable(
            "weights", shape=[in_dim, units], dtype=tf.float32,
            initializer=weights_initializer or tf.glorot_uniform_initializer())
        if inputs.shape.ndims == 2:
            outputs = tf.matmul(inputs, weights)
        else:
            outputs = tf.tensordot(inputs, weights, axes=[[inputs.shape.ndims - 1], [0]])
        if use_bias:
            outputs += tf.get_variable("bias", shape=[units], dtype=tf.float32,
                                       initializer=tf.zeros_initializer())
    return outputs


def batch_norm(inputs: tf.Tensor, train: bool, scope: str = "batch_norm") -> tf.Tensor:
    """Batch normalisation over all axes but the last.

    In training it normalises with the batch moments and registers updates of the
    moving averages in ``tf.GraphKeys.UPDATE_OPS`` (recommenders run them with every
    training step); at serving time it uses the moving averages.

    Args:
        inputs: Float tensor ``[..., dim]``.
        train: Batch mode (True) or inference mode (False).
        scope: Variable scope of the layer's variables.

    Returns:
        The normalised tensor, same shape as ``inputs``.
    """
    dim = int(inputs.shape[-1])
    axes = list(range(inputs.shape.ndims - 1))
    with tf.variable_scope(scope):
        gamma = tf.get_variable("gamma", [dim], initializer=tf.ones_initializer())
        beta = tf.get_variable("beta", [dim], initializer=tf.zeros_initializer())
        moving_mean = tf.get_variable("moving_mean", [dim], trainable=False,
                                      initializer=tf.zeros_initializer())
        moving_var = tf.get_variable("moving_variance", [dim], trainable=False,
                                     initializer=tf.ones_initializer())
        if train:
            mean, var = tf.nn.moments(inputs, axes=axes)
            decay = 1.0 - BATCH_NORM_MOMENTUM
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS,
                                 moving_mean.assign_sub(decay * (moving_mean - mean)))
            tf.add_to_collection(tf.GraphKeys.UPDATE_OPS,
                                 moving_var.assign_sub(decay * (moving_var - var)))
        else:
            mean, var = moving_mean, moving_var
        return tf.nn.batch_normalization(inputs, mean, var, beta, gamma, BATCH_NORM_EPSILON)


def dropout(inputs: tf.Tensor, rate: Optional[float], train: bool) -> tf.Tensor:
    """Inverted dropout applied only when training.

    Args:
        inputs: Any float tensor.
        rate: Drop probability, or None / 0 for none.
        train: Only drop in the training graph.

    Returns:
        ``inputs`` with dropout applied in training, unchanged otherwise.
    """
    if not train or not rate:
        return inputs
    return tf.nn.dropout(inputs, rate=rate)
