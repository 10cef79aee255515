"""Tests of the fused ``<u, p> - <u, n>`` kernel and its gradient against TensorFlow ops."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.ops.build import load_custom_op
from openrec2.ops.pair_dot_difference import pair_dot_difference


def _value_and_gradients(build, arrays):
    """``build(u, p, n)`` and the gradients of ``sum(sin(.))`` for u, p, n."""
    with tf.Graph().as_default():
        tensors = [tf.constant(a) for a in arrays]
        value = build(*tensors)
        grads = tf.gradients(tf.reduce_sum(tf.sin(value)), tensors)
        with tf.Session() as sess:
            return value.op.type, sess.run([value] + grads)


def _reference(u, p, n):
    return tf.reduce_sum(u * p, -1) - tf.reduce_sum(u * n, -1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_kernel_matches_the_tensorflow_ops_forward_and_backward(dtype):
    assert load_custom_op("pair_dot_difference") is not None  # this machine compiles it
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=(257, 24)).astype(dtype) for _ in range(3)]
    op_type, fused = _value_and_gradients(pair_dot_difference, arrays)
    _, plain = _value_and_gradients(_reference, arrays)
    assert op_type == "Openrec2PairDotDifference"
    for got, want in zip(fused, plain):
        np.testing.assert_allclose(got, want, rtol=1e-4 if dtype == np.float32 else 1e-10, atol=1e-5)


def test_other_shapes_take_the_tensorflow_path_with_the_same_value():
    rng = np.random.default_rng(4)
    arrays = [rng.normal(size=(5, 3, 4)).astype(np.float32) for _ in range(3)]
    op_type, fused = _value_and_gradients(pair_dot_difference, arrays)
    _, plain = _value_and_gradients(_reference, arrays)
    assert op_type != "Openrec2PairDotDifference"
    for got, want in zip(fused, plain):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_rows_of_different_shapes_fail_at_run_time_with_the_shapes_named():
    kernel = load_custom_op("pair_dot_difference")
    with tf.Graph().as_default(), tf.Session() as sess:
        shapes = tf.placeholder(tf.float32, [None, 4]), tf.placeholder(tf.float32, [None, 4])
        value = kernel.openrec2_pair_dot_difference(shapes[0], shapes[1], shapes[1])
        with pytest.raises(tf.errors.InvalidArgumentError, match="one shape"):
            sess.run(value, {shapes[0]: np.zeros((3, 4)), shapes[1]: np.zeros((2, 4))})


def test_bpr_trains_through_the_kernel():
    from openrec2.recommenders import BPR

    with BPR(batch_size=8, max_user=5, max_item=7, dim_embed=4, seed=1) as model:
        types = {op.type for op in model.graph.get_operations()}
    assert {"Openrec2PairDotDifference", "Openrec2PairDotDifferenceGrad"} <= types
