"""Tests of initialising variables from arrays kept out of the graph definition."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.modules import array_initializer as module
from openrec2.modules.array_initializer import array_initializer, initializer_feeds
from openrec2.modules.extractions.latent_factor import LatentFactor
from openrec2.modules.extractions.look_up import LookUp


@pytest.fixture
def feed_everything(monkeypatch):
    """Treat every array as large: all of them are fed, none embedded."""
    monkeypatch.setattr(module, "EMBED_LIMIT_BYTES", 0)


def _graph_bytes(graph):
    return graph.as_graph_def().ByteSize()


def test_small_arrays_stay_graph_constants():
    array = np.arange(12, dtype=np.float32).reshape(3, 4)
    with tf.Graph().as_default() as graph:
        table = tf.get_variable("table", shape=array.shape, initializer=array_initializer(array))
        assert initializer_feeds(graph) == {}
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_array_equal(sess.run(table), array)


def test_large_arrays_are_fed_once_and_never_stored_in_the_graph(feed_everything):
    features = np.random.default_rng(0).normal(size=(500, 40)).astype(np.float32)  # 80 kB
    ids = np.array([3, 499, 0], np.int32)
    with tf.Graph().as_default() as graph:
        training = LookUp(features, ids=tf.constant(ids), scope="features")
        serving = LookUp(features, ids=None, scope="features", reuse=True)  # shares, creates nothing
        factors = LatentFactor([500, 40], init=features * 2, scope="factors")
        feeds = initializer_feeds(graph)
        assert len(feeds) == 2 and all(value.shape == (500, 40) for value in feeds.values())
        assert _graph_bytes(graph) < features.nbytes  # neither copy of the values is in the graph
        with tf.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="initial_value_fed_by_initializer_feeds"):
                sess.run(tf.global_variables_initializer())  # forgetting the feeds is an error, not zeros
            sess.run(tf.global_variables_initializer(), feed_dict=feeds)
            rows, table, doubled = sess.run([training.get_outputs()[0], serving.get_outputs()[0],
                                             factors.get_outputs()[0]])
    np.testing.assert_array_equal(rows, features[ids])
    np.testing.assert_array_equal(table, features)
    np.testing.assert_array_equal(doubled, features * 2)


def test_feeds_are_kept_per_graph(feed_everything):
    array = np.ones((4, 2), np.float32)
    with tf.Graph().as_default() as first:
        tf.get_variable("table", shape=array.shape, initializer=array_initializer(array))
    with tf.Graph().as_default() as second:
        assert initializer_feeds(second) == {}
    assert len(initializer_feeds(first)) == 1
