"""Tests of the fused sparse lazy Adam kernel against the TensorFlow-only step."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.ops.build import load_custom_op
from openrec2.recommenders.optimizers import LazyAdamOptimizer


def test_the_kernel_builds_and_loads_on_this_machine():
    # This machine has a C++ compiler, so the fast path must be the one in use.
    assert load_custom_op("sparse_lazy_adam") is not None
    assert LazyAdamOptimizer(0.1).uses_fused_kernel
    assert not LazyAdamOptimizer(0.1, use_fused_kernel=False).uses_fused_kernel


def _initial_table_and_targets(rows=40, dim=8, dtype=np.float32):
    """The table's initial value and the values it is fitted to."""
    rng = np.random.default_rng(0)
    return rng.normal(size=(rows, dim)).astype(dtype), rng.normal(size=(rows, dim)).astype(dtype)


def _train(use_fused_kernel, id_batches, rows=40, dim=8, dtype=np.float32):
    """Fit a table and a bias vector to random targets over id batches; return tables and slots."""
    table_init, targets = _initial_table_and_targets(rows, dim, dtype)
    with tf.Graph().as_default():
        table = tf.get_variable("table", initializer=table_init)
        bias = tf.get_variable("bias", initializer=np.zeros(rows, dtype))
        ids = tf.placeholder(tf.int64, [None])
        rows_of_batch = tf.gather(table, ids) + tf.gather(bias, ids)[:, None]
        loss = tf.reduce_sum(tf.square(rows_of_batch - tf.gather(targets, ids)))
        optimizer = LazyAdamOptimizer(0.05, use_fused_kernel=use_fused_kernel)
        step = optimizer.minimize(loss)
        assert optimizer.uses_fused_kernel == use_fused_kernel
        slots = [optimizer.get_slot(v, "mv") for v in (table, bias)]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in id_batches:
                sess.run(step, {ids: batch})
            return sess.run([table, bias] + slots)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_kernel_matches_the_tensorflow_only_step_with_repeated_ids(dtype):
    rng = np.random.default_rng(1)
    # Small id ranges force many repeats within a batch; some rows are never touched.
    batches = [rng.integers(0, 30, size=rng.integers(1, 60)) for _ in range(25)]
    fused = _train(True, batches, dtype=dtype)
    reference = _train(False, batches, dtype=dtype)
    for got, expected in zip(fused, reference):
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    table_init, _ = _initial_table_and_targets(dtype=dtype)
    np.testing.assert_array_equal(fused[0][30:], table_init[30:])  # untouched rows unchanged
    assert not np.allclose(fused[0][:30], table_init[:30])


def test_fused_kernel_rejects_an_index_outside_the_table_and_changes_nothing():
    with tf.Graph().as_default():
        table = tf.get_variable("table", initializer=np.ones((5, 3), np.float32))
        ids = tf.placeholder(tf.int32, [None])
        optimizer = LazyAdamOptimizer(0.1)
        # tf.gather on CPU already rejects bad ids, so hand the optimiser the gradient directly.
        step = optimizer.apply_gradients([(tf.IndexedSlices(tf.ones([2, 3]), ids, tf.constant([5, 3])), table)])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            with pytest.raises(tf.errors.InvalidArgumentError, match="index 7 at position 1 is outside the table's 5 rows"):
                sess.run(step, {ids: [0, 7]})
            np.testing.assert_array_equal(sess.run(table), np.ones((5, 3)))
            sess.run(step, {ids: [0, 0]})  # the scratch state was reset: a valid step still works
            assert (sess.run(table)[0] < 1).all()
