"""Training noise drawn from the training step, so that a resumed run draws the same noise.

TensorFlow's random ops keep a hidden counter per op and session, which a checkpoint
does not hold: a run restored from a checkpoint would draw other dropout masks and
Gumbel noise than the run it continues. Here noise is a pure function of (graph seed,
op number, training step): the op number is the order in which the graph creates its
noisy ops (the same in every build of the same model), and the step is the model's
global step, which every checkpoint saves. Graphs without a global step (a module used
on its own) fall back to TensorFlow's usual random ops.
"""

from __future__ import annotations

import tensorflow.compat.v1 as tf

_COUNTER = 'openrec2_step_random_ops'
_SEED_SPACING = 1_000_003


def _step_seed() -> tf.Tensor:
    """``[op seed, step]`` of the next noisy op of the default graph, or None without a global step."""
    graph = tf.get_default_graph()
    step = tf.train.get_global_step(graph)
    if step is None:
        return None
    counter = graph.get_collection_ref(_COUNTER)
    counter.append(None)
    op_seed = (graph.seed or 0) * _SEED_SPACING + len(counter)
    return tf.stack([tf.constant(op_seed, tf.int64), tf.cast(tf.convert_to_tensor(step), tf.int64)])


def step_uniform(shape, dtype=tf.float32) -> tf.Tensor:
    """Uniform noise in ``[0, 1)`` that depends only on the graph seed, the op and the step.

    Args:
        shape: Shape of the noise (a tensor or a list).
        dtype: Float dtype.

    Returns:
        The noise tensor.
    """
    seed = _step_seed()
    if seed is None:
        return tf.random_uniform(shape, dtype=dtype)
    return tf.random.stateless_uniform(shape, seed=seed, dtype=dtype)


def step_dropout(inputs: tf.Tensor, rate: float) -> tf.Tensor:
    """Inverted dropout whose mask is :func:`step_uniform` noise.

    Args:
        inputs: Float tensor.
        rate: Drop probability in ``(0, 1)``.

    Returns:
        ``inputs`` with each entry zeroed with probability ``rate``, the rest scaled by
        ``1 / (1 - rate)``.
    """
    keep = tf.cast(step_uniform(tf.shape(inputs), inputs.dtype) >= rate, inputs.dtype)
    return inputs * keep / (1.0 - rate)


def step_uniform_ints(shape, maxval: int) -> tf.Tensor:
    """Integers drawn uniformly from ``[0, maxval)`` that depend only on the graph seed,
    the op and the step (see :func:`step_uniform`).

    Args:
        shape: Shape of the draw.
        maxval: Exclusive upper bound (a positive int).

    Returns:
        An int64 tensor.
    """
    seed = _step_seed()
    if seed is None:
        return tf.random_uniform(shape, maxval=maxval, dtype=tf.int64)
    return tf.random.stateless_uniform(shape, seed=seed, minval=0, maxval=maxval, dtype=tf.int64)
