"""MLPSoftmax: all-item scores in serving, a sampled softmax in training that never
computes the all-item logits and still learns."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, SettingError
from openrec2.modules.interactions import MLPSoftmax

MAX_ITEM, CLASSES, WIDTH = 200, 5, 16


def build(softmax_samples):
    """Training and serving graphs of one MLPSoftmax over a ``[B, CLASSES]`` input."""
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(0)
        step = tf.train.get_or_create_global_step()
        user = tf.placeholder(tf.float32, [None, CLASSES])
        labels = tf.placeholder(tf.int32, [None])
        with tf.variable_scope('model'):
            trained = MLPSoftmax(user, [WIDTH], MAX_ITEM, labels=labels, softmax_samples=softmax_samples)
        with tf.variable_scope('model', reuse=True):
            served = MLPSoftmax(user, [WIDTH], MAX_ITEM, train=False)
        train_op = tf.train.AdamOptimizer(0.02).minimize(trained.get_loss(), global_step=step)
    return graph, user, labels, trained, served, train_op


def all_item_shaped(loss):
    """Tensors of shape [rows, MAX_ITEM] that computing ``loss`` needs."""
    seen, stack, found = set(), [loss.op], []
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        found += [t for t in op.outputs if t.shape.ndims == 2 and t.shape.as_list()[1] == MAX_ITEM]
        stack.extend(t.op for t in op.inputs)
    return found


def test_sampled_training_never_computes_all_item_logits_but_full_training_does():
    assert all_item_shaped(build(20)[3].get_loss()) == []
    assert all_item_shaped(build(None)[3].get_loss()) != []


def planted_rows(rng, rows):
    """Rows of one of five classes; each class's next items are its own block of 40 items."""
    classes = rng.integers(0, CLASSES, rows)
    labels = classes * (MAX_ITEM // CLASSES) + rng.integers(0, MAX_ITEM // CLASSES, rows)
    return np.eye(CLASSES, dtype=np.float32)[classes], labels.astype(np.int32), classes


def test_sampled_softmax_learns_and_serving_scores_every_item():
    graph, user, labels, trained, served, train_op = build(20)
    rng = np.random.default_rng(0)
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        features, targets, _ = planted_rows(rng, 64)
        first = sess.run(trained.get_loss(), {user: features, labels: targets})
        for _ in range(300):
            features, targets, _ = planted_rows(rng, 64)
            last, _ = sess.run([trained.get_loss(), train_op], {user: features, labels: targets})
        features, _, classes = planted_rows(rng, 100)
        scores = sess.run(served.get_outputs()[0], {user: features})
    assert scores.shape == (100, MAX_ITEM)
    top = np.argsort(-scores, axis=1)[:, :10]
    in_block = np.mean(top // (MAX_ITEM // CLASSES) == classes[:, None])
    assert last < 0.7 * first
    assert in_block > 0.9  # chance: 0.2


def test_pair_scores_equal_the_all_item_scores_of_those_items():
    graph = tf.Graph()
    with graph.as_default():
        user = tf.constant(np.random.default_rng(1).normal(size=(4, 3)), tf.float32)
        items = tf.constant([0, 5, 9, 199], tf.int32)
        with tf.variable_scope('m'):
            MLPSoftmax(user, [8], MAX_ITEM, labels=items)
        with tf.variable_scope('m', reuse=True):
            all_items, pairs = MLPSoftmax(user, [8], MAX_ITEM, item_ids=items, train=False).get_outputs()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            every, chosen = sess.run([all_items, pairs])
    np.testing.assert_allclose(chosen, every[np.arange(4), [0, 5, 9, 199]], rtol=1e-5)


def test_bad_settings_are_refused():
    with tf.Graph().as_default():
        user = tf.zeros([2, 3])
        with pytest.raises(SettingError, match='softmax_samples'):
            MLPSoftmax(user, [4], 10, labels=tf.zeros([2], tf.int32), softmax_samples=10)
        with pytest.raises(MissingInputError, match='labels'):
            MLPSoftmax(user, [4], 10)
