"""Tests of the Dice MLP head with binary cross-entropy."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError
from openrec2.modules.interactions.ctr_head import CTRHead


def test_head_learns_a_separable_problem_and_serves_probabilities(tf_run):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 4)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.float32)
    features = tf.placeholder(tf.float32, [None, 4])
    head = CTRHead(features, [16, 8], labels=tf.constant(y), dropout_prob=0.1, scope='head')
    serving = CTRHead(features, [16, 8], train=False, scope='head', reuse=True)
    step = tf.train.AdamOptimizer(0.02).minimize(head.get_loss())
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    first = tf_run(head.get_loss(), {features: x})
    for _ in range(300):
        tf_run([step, updates], {features: x})
    assert tf_run(head.get_loss(), {features: x}) < 0.5 * first
    probabilities = tf_run(serving.get_outputs()[0], {features: x})
    assert probabilities.min() >= 0 and probabilities.max() <= 1
    assert ((probabilities > 0.5) == (y > 0)).mean() > 0.9


def test_training_needs_labels(tf_run):
    with pytest.raises(MissingInputError, match='training needs `labels`'):
        CTRHead(tf.ones([2, 3]), [4])
