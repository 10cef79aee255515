"""Shared pytest fixtures: a fresh TensorFlow graph per test and a runner for it."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow.compat.v1 as tf  # noqa: E402


class GraphRunner:
    """Initialise the variables of the current graph once and run tensors in a session."""

    def __init__(self, graph: tf.Graph):
        self.graph = graph
        self.sess = tf.Session(graph=graph)
        self._initialised = False

    def __call__(self, fetches, feed_dict=None):
        if not self._initialised:
            self.sess.run(tf.global_variables_initializer())
            self._initialised = True
        return self.sess.run(fetches, feed_dict=feed_dict)


@pytest.fixture
def tf_run():
    """Yield a runner bound to a fresh default graph (closed after the test).

    The graph is seeded, so initial weights and noise are the same in every run: a test
    passes or fails for its code, never for an unlucky draw.
    """
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        runner = GraphRunner(graph)
        yield runner
        runner.sess.close()
