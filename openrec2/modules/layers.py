"""Plain-TensorFlow layer functions (no Keras): dense, conv2d, batch norm, dropout.

They create variables with ``tf.get_variable`` in the current variable scope, so they
share variables through the enclosing module's scope like everything else.
"""

from __future__ import annotations

import contextlib
from typing import Iterator, Optional, Tuple

import tensorflow.compat.v1 as tf

from openrec2.modules.step_random import step_dropout

#: Momentum of the batch-norm moving averages.
BATCH_NORM_MOMENTUM = 0.99
BATCH_NORM_EPSILON = 1e-3

#: Collection that receives batch-norm moving-average updates (see :func:`updates_into`).
_updates_collection = [tf.GraphKeys.UPDATE_OPS]


@contextlib.contextmanager
def updates_into(collection: str) -> Iterator[None]:
    """Send the moving-average updates of batch norms built inside to ``collection``
    instead of ``tf.GraphKeys.UPDATE_OPS``, which recommenders run with every training
    step (for layers trained by a separate op, such as a pre-training step)."""
    _updates_collection.append(collection)
    try:
        yield
    finally:
        _updates_collection.pop()


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
    training step; :func:`updates_into` redirects them); at serving time it uses the
    moving averages.

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
            for moving, batch_value in ((moving_mean, mean), (moving_var, var)):
                tf.add_to_collection(_updates_collection[-1],
                                     moving.assign_sub(decay * (moving - batch_value), read_value=False))
        else:
            mean, var = moving_mean, moving_var
        return tf.nn.batch_normalization(inputs, mean, var, beta, gamma, BATCH_NORM_EPSILON)


def dropout(inputs: tf.Tensor, rate: Optional[float], train: bool) -> tf.Tensor:
    """Inverted dropout applied only when training (its mask a function of the training
    step, so a resumed run drops the same entries; see :mod:`openrec2.modules.step_random`).

    Args:
        inputs: Any float tensor.
        rate: Drop probability, or None / 0 for none.
        train: Only drop in the training graph.

    Returns:
        ``inputs`` with dropout applied in training, unchanged otherwise.
    """
    if not train or not rate:
        return inputs
    return step_dropout(inputs, rate)


def conv2d_variables(kernel_size: int, in_channels: int, filters: int, use_bias: bool = True,
                     scope: str = "conv2d", weights_initializer=None
                     ) -> Tuple[tf.Variable, Optional[tf.Variable]]:
    """Create the variables of a square 2-d convolution.

    Args:
        kernel_size: Height and width of the kernel.
        in_channels: Channels of the input.
        filters: Channels of the output.
        use_bias: Also create a bias vector.
        scope: Variable scope of the layer's variables.
        weights_initializer: Initializer of the kernel (Glorot uniform by default).

    Returns:
        ``(kernel [k, k, in_channels, filters], bias [filters] or None)``.
    """
    with tf.variable_scope(scope):
        kernel = tf.get_variable(
            "weights", shape=[kernel_size, kernel_size, in_channels, filters], dtype=tf.float32,
            initializer=weights_initializer or tf.glorot_uniform_initializer())
        bias = tf.get_variable("bias", shape=[filters], dtype=tf.float32,
                               initializer=tf.zeros_initializer()) if use_bias else None
    return kernel, bias


def apply_conv2d(inputs: tf.Tensor, kernel: tf.Tensor, bias: Optional[tf.Tensor] = None,
                 stride: int = 1, padding: str = "VALID") -> tf.Tensor:
    """Convolve NHWC ``inputs`` with ``kernel`` (same stride along both axes), plus a bias.

    Args:
        inputs: Float tensor ``[batch, height, width, in_channels]``.
        kernel: ``[k, k, in_channels, filters]``.
        bias: ``[filters]`` or None.
        stride: Step of the kernel along height and width.
        padding: ``'VALID'`` (no padding) or ``'SAME'``.

    Returns:
        ``[batch, out_height, out_width, filters]``.
    """
    outputs = tf.nn.conv2d(inputs, kernel, strides=[1, stride, stride, 1], padding=padding)
    return outputs if bias is None else tf.nn.bias_add(outputs, bias)


def conv2d(inputs: tf.Tensor, filters: int, kernel_size: int, stride: int = 1,
           padding: str = "VALID", use_bias: bool = True, scope: str = "conv2d",
           weights_initializer=None) -> tf.Tensor:
    """A square 2-d convolution layer over NHWC inputs (no activation).

    Args:
        inputs: Float tensor ``[batch, height, width, in_channels]`` with known channels.
        filters: Output channels.
        kernel_size: Height and width of the kernel.
        stride: Step of the kernel along height and width.
        padding: ``'VALID'`` (no padding) or ``'SAME'``.
        use_bias: Add a bias vector.
        scope: Variable scope of the layer's variables.
        weights_initializer: Initializer of the kernel (Glorot uniform by default).

    Returns:
        ``[batch, out_height, out_width, filters]``.
    """
    kernel, bias = conv2d_variables(kernel_size, int(inputs.shape[-1]), filters, use_bias=use_bias,
                                    scope=scope, weights_initializer=weights_initializer)
    return apply_conv2d(inputs, kernel, bias, stride=stride, padding=padding)
