"""Tests of SessionStep: a prepared session call equals session.run."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.recommenders.session_step import SessionStep


def _graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.placeholder(tf.float32, [None])
        counter = tf.get_variable("counter", initializer=0.0, use_resource=True)
        bump = counter.assign_add(1.0).op
        total = tf.reduce_sum(x) * 2.0
        checked = tf.debugging.assert_positive(x)
    return graph, x, counter, bump, total, checked


@pytest.mark.parametrize("fast", [True, False])
def test_a_step_returns_what_session_run_returns_and_runs_its_operations(fast):
    graph, x, counter, bump, total, _ = _graph()
    with tf.Session(graph=graph) as sess:
        sess.run(counter.initializer)
        step = SessionStep(sess, [total, bump], [x])
        if not fast:
            step._fast = False
        value, nothing = step(np.array([1.0, 2.5], np.float32))
        assert value == pytest.approx(7.0) and nothing is None
        assert sess.run(total, {x: [1.0, 2.5]}) == pytest.approx(value)
        assert sess.run(counter) == 1.0


def test_a_failing_step_raises_the_tensorflow_error_as_session_run_does():
    graph, x, _, _, _, checked = _graph()
    with tf.Session(graph=graph) as sess:
        step = SessionStep(sess, [checked], [x])
        with pytest.raises(tf.errors.InvalidArgumentError):
            step(np.array([-1.0], np.float32))
