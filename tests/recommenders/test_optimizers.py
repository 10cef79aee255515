"""Tests of the optimiser factory and the lazy (sparse) Adam."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import UnknownOptionError
from openrec2.recommenders.optimizers import OPTIMIZERS, LazyAdamOptimizer, make_optimizer


def _run_steps(optimizer_factory, row_batches, rows=6, dim=3):
    """Minimise sum(table[ids] * target) over successive id batches; return the table."""
    with tf.Graph().as_default():
        init = np.random.default_rng(0).normal(size=(rows, dim)).astype(np.float32)
        table = tf.get_variable("table", initializer=init)
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.square(tf.gather(table, ids) - 1.0))
        step = optimizer_factory().minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in row_batches:
                sess.run(step, {ids: batch})
            return init, sess.run(table)


def test_lazy_adam_equals_adam_when_every_row_is_touched_each_step():
    batches = [[0, 1, 2, 3, 4, 5]] * 5
    _, lazy = _run_steps(lambda: LazyAdamOptimizer(0.1), batches)
    _, dense = _run_steps(lambda: tf.train.AdamOptimizer(0.1), batches)
    np.testing.assert_allclose(lazy, dense, rtol=1e-5, atol=1e-6)


def test_lazy_adam_leaves_untouched_rows_alone_and_sums_duplicates():
    init, lazy = _run_steps(lambda: LazyAdamOptimizer(0.1), [[0, 0, 2], [2]])
    np.testing.assert_array_equal(lazy[[1, 3, 4, 5]], init[[1, 3, 4, 5]])
    assert not np.allclose(lazy[[0, 2]], init[[0, 2]])
    # Dense Adam moves rows touched once, even when absent later (its moments decay).
    init_dense, dense = _run_steps(lambda: tf.train.AdamOptimizer(0.1), [[0], [2]])
    assert not np.allclose(dense[0], init_dense[0])


def test_lazy_adam_first_step_matches_hand_computation():
    init, lazy = _run_steps(lambda: LazyAdamOptimizer(0.1), [[1, 1]])
    # Adam's first step is -lr * sign(grad) (up to epsilon) for every touched entry.
    np.testing.assert_allclose(lazy[1], init[1] - 0.1 * np.sign(init[1] - 1.0), rtol=1e-4)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_named_optimiser_reduces_a_loss(name):
    _, table = _run_steps(lambda: make_optimizer(name, 0.05), [[0, 1, 2]] * 50)
    init, _ = _run_steps(lambda: make_optimizer(name, 0.05), [])
    assert np.square(table[:3] - 1).sum() < np.square(init[:3] - 1).sum()


def test_unknown_optimiser_lists_the_valid_names():
    with pytest.raises(UnknownOptionError, match="^bpr: `opt` must be one of .*Adam.*got 'Adamm'"):
        make_optimizer("Adamm", scope="bpr")


def _dense_steps(optimizer, steps=5):
    """Minimise a dense loss over a matrix and a vector; return their final values."""
    with tf.Graph().as_default():
        rng = np.random.default_rng(1)
        matrix = tf.get_variable("matrix", initializer=rng.normal(size=(4, 3)).astype(np.float32))
        vector = tf.get_variable("vector", initializer=rng.normal(size=(3,)).astype(np.float32))
        loss = tf.reduce_sum(tf.square(tf.matmul(matrix, tf.expand_dims(vector, 1)) - 1.0))
        step = optimizer.minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(steps):
                sess.run(step)
            return sess.run([matrix, vector])


def test_lazy_adam_dense_gradients_match_adam():
    lazy = _dense_steps(LazyAdamOptimizer(0.05))
    dense = _dense_steps(tf.train.AdamOptimizer(0.05))
    for ours, theirs in zip(lazy, dense):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_lazy_adam_rejects_reference_variables_with_a_clear_error():
    from openrec2.errors import TrainingError
    with tf.Graph().as_default():
        table = tf.Variable(np.ones((3, 2), np.float32), use_resource=False, name="legacy_table")
        loss = tf.reduce_sum(tf.gather(table, [0, 2]))
        with pytest.raises(TrainingError, match="^legacy_table: LazyAdamOptimizer updates resource variables only"):
            LazyAdamOptimizer(0.1).minimize(loss)
