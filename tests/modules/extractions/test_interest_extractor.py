"""Tests of DIEN's interest extractor and its auxiliary loss."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.extractions.interest_extractor import InterestExtractorNetwork


def build(click, noclick, lengths, scope='extractor'):
    return InterestExtractorNetwork(click, lengths, hidden_size=4, noclick_seq=noclick, scope=scope)


def test_auxiliary_loss_ignores_padding(tf_run):
    rng = np.random.default_rng(0)
    click = tf.placeholder(tf.float32, [None, 5, 3])
    noclick = tf.placeholder(tf.float32, [None, 5, 3])
    module = build(click, noclick, tf.constant([3, 1]))
    values = [rng.normal(size=(2, 5, 3)).astype(np.float32) for _ in range(2)]
    garbage = [v.copy() for v in values]
    for v in garbage:
        v[0, 3:] = 50.0
        v[1, 1:] = -50.0
    clean = tf_run([module.get_loss(), module.get_outputs()[0]], dict(zip([click, noclick], values)))
    dirty = tf_run([module.get_loss(), module.get_outputs()[0]], dict(zip([click, noclick], garbage)))
    assert clean[0] == pytest.approx(dirty[0], rel=1e-6)
    np.testing.assert_array_equal(clean[1], dirty[1])
    assert clean[0] > 0


def test_auxiliary_loss_learns_to_tell_next_behaviour(tf_run):
    # Behaviour t+1 repeats behaviour t; negatives are unrelated.
    rng = np.random.default_rng(1)
    base = rng.normal(size=(64, 1, 3)).astype(np.float32)
    click = tf.constant(np.repeat(base, 4, axis=1))
    noclick = tf.constant(rng.normal(size=(64, 4, 3)).astype(np.float32))
    module = build(click, noclick, tf.constant(np.full(64, 4, np.int32)))
    step = tf.train.AdamOptimizer(0.02).minimize(module.get_loss())
    first = tf_run(module.get_loss())
    for _ in range(150):
        tf_run(step)
    assert tf_run(module.get_loss()) < 0.5 * first


def test_public_auxiliary_loss_reuses_the_classifier(tf_run):
    click = tf.ones([2, 3, 3])
    module = build(click, tf.zeros([2, 3, 3]), tf.constant([3, 2]))
    count = len(tf.global_variables())
    again = module.auxiliary_loss(module.get_outputs()[0], click, tf.zeros([2, 3, 3]), tf.constant([3, 2]))
    assert len(tf.global_variables()) == count
    assert tf_run(again) == pytest.approx(tf_run(module.get_loss()))


def test_serving_graph_has_no_loss_and_shares_variables(tf_run):
    click = tf.ones([2, 3, 3])
    build(click, tf.zeros([2, 3, 3]), tf.constant([3, 2]))
    count = len(tf.global_variables())
    serving = InterestExtractorNetwork(click, tf.constant([3, 2]), hidden_size=4, train=False, scope='extractor',
                                       reuse=True)
    assert len(tf.global_variables()) == count
    assert tf_run(serving.get_loss()) == 0.0


def test_noclick_width_must_match(tf_run):
    with pytest.raises(ShapeError, match='noclick_seq must have the width'):
        build(tf.ones([1, 2, 3]), tf.ones([1, 2, 4]), tf.constant([2]))
