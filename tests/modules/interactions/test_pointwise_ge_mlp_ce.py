"""Tests of PointwiseGeMLPCE (NeuMF): training logits against numpy, serving equal to training."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, ShapeError
from openrec2.modules.interactions import PointwiseGeMLPCE


def _inputs(rng, rows, d_mlp=3, d_ge=2):
    return (tf.constant(rng.normal(size=(rows, d_mlp)), tf.float32), tf.constant(rng.normal(size=(rows, d_ge)), tf.float32))


def test_loss_equals_numpy_from_the_weights(tf_run):
    rng = np.random.default_rng(7)
    user_mlp, user_ge = _inputs(rng, 5)
    item_mlp, item_ge = _inputs(rng, 5)
    labels = np.array([1, 0, 1, 0, 1], dtype=np.float32)
    with tf.variable_scope("neumf"):
        module = PointwiseGeMLPCE(user_mlp, user_ge, item_mlp, item_ge, None, dims=[4, 1],
                                  labels=tf.constant(labels), alpha=0.3)
    loss, values = tf_run([module.get_loss(), [user_mlp, user_ge, item_mlp, item_ge]])
    variables = {v.name.split("neumf/")[-1]: tf_run(v) for v in tf.global_variables()}
    u_m, u_g, i_m, i_g = values
    weights = [variables[k] for k in sorted(variables) if "mlp/layer" in k and k.endswith("weights:0")]
    biases = [variables[k] for k in sorted(variables) if "mlp/layer" in k and k.endswith("bias:0")]
    h = variables[[k for k in variables if k.endswith("ge_weights:0")][0]]
    hidden = np.maximum(np.concatenate([u_m, i_m], 1) @ weights[0] + biases[0], 0.0)
    mlp = (hidden @ weights[1] + biases[1])[:, 0]
    logits = 0.3 * (u_g * i_g * h).sum(1) + 0.7 * mlp
    expected = (np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))).sum()
    assert loss == pytest.approx(expected, rel=1e-4)


def test_serving_every_item_matches_training_logits(tf_run):
    rng = np.random.default_rng(8)
    users_mlp, users_ge = _inputs(rng, 3)
    items_mlp, items_ge = _inputs(rng, 4)
    bias = tf.constant(rng.normal(size=4), tf.float32)
    labels = tf.zeros([12])
    pair_users = [tf.repeat(t, 4, axis=0) for t in (users_mlp, users_ge)]
    pair_items = [tf.tile(t, [3, 1]) for t in (items_mlp, items_ge)]
    with tf.variable_scope("m"):
        trained = PointwiseGeMLPCE(pair_users[0], pair_users[1], pair_items[0], pair_items[1], tf.tile(bias, [3]),
                                   dims=[5, 1], labels=labels, dropout=0.0)
    with tf.variable_scope("m", reuse=True):
        served = PointwiseGeMLPCE(users_mlp, users_ge, items_mlp, items_ge, bias, dims=[5, 1], train=False,
                                  block_users=2)
    logits, scores = tf_run([trained.get_outputs()[0], served.get_outputs()[0]])
    assert scores.shape == (3, 4)
    np.testing.assert_allclose(scores.reshape(-1), logits, rtol=1e-4, atol=1e-5)


def test_bad_settings_are_refused():
    with tf.Graph().as_default():
        tensors = [tf.ones([2, 2])] * 4
        with pytest.raises(ShapeError, match="dims"):
            PointwiseGeMLPCE(*tensors, None, dims=[3, 2], labels=tf.ones([2]))
        with pytest.raises(SettingError, match="alpha"):
            PointwiseGeMLPCE(*tensors, None, dims=[3, 1], labels=tf.ones([2]), alpha=1.5)
