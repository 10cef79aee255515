"""Tests of MultiLayerFC: shapes, dropout and batch norm in training vs serving, errors."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, SettingError, ShapeError, UnknownOptionError
from openrec2.modules.extractions import MultiLayerFC


def test_output_shape_and_l2_loss(tf_run):
    x = tf.ones([5, 3])
    module = MultiLayerFC(x, dims=[4, 2], l2_reg=0.1)
    assert tf_run(module.get_outputs()[0]).shape == (5, 2)
    weights = [v for v in module.get_variables() if v.op.name.endswith("weights")]
    assert [w.shape.as_list() for w in weights] == [[3, 4], [4, 2]]
    expected = 0.1 * sum((tf_run(w) ** 2).sum() / 2 for w in weights)
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-5)


def test_bias_flags_choose_which_layers_have_biases(tf_run):
    module = MultiLayerFC(tf.ones([2, 3]), dims=[4, 4, 1], bias_in=False, bias_mid=True, bias_out=False)
    biases = sorted(v.op.name for v in module.get_variables() if v.op.name.endswith("bias"))
    assert biases == ["multi_layer_fc/layer1/bias"]


def test_relu_out_makes_outputs_non_negative(tf_run):
    x = tf.constant(np.random.default_rng(0).normal(size=(50, 3)), tf.float32)
    out = tf_run(MultiLayerFC(x, dims=[8], relu_out=True).get_outputs()[0])
    assert out.min() >= 0 and out.max() > 0


def test_dropout_only_in_training_graph(tf_run):
    x = tf.ones([200, 10])
    train = MultiLayerFC(x, dims=[10], dropout_in=0.5, scope="fc")
    serve = MultiLayerFC(x, dims=[10], dropout_in=0.5, train=False, scope="fc", reuse=True)
    a, b = tf_run(train.get_outputs()[0]), tf_run(train.get_outputs()[0])
    assert not np.allclose(a, b)                               # random in training
    s1, s2 = tf_run(serve.get_outputs()[0]), tf_run(serve.get_outputs()[0])
    np.testing.assert_array_equal(s1, s2)                     # deterministic in serving
    assert train.get_variables() == serve.get_variables()     # same variables


def test_batch_norm_uses_batch_stats_in_training_and_moving_averages_when_serving(tf_run):
    x = tf.placeholder(tf.float32, [None, 2])
    train = MultiLayerFC(x, dims=[2], batch_norm=True, scope="bn_fc")
    serve = MultiLayerFC(x, dims=[2], batch_norm=True, train=False, scope="bn_fc", reuse=True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert len(updates) == 2
    batch = np.random.default_rng(0).normal(5.0, 3.0, size=(256, 2)).astype(np.float32)
    trained = tf_run(train.get_outputs()[0], {x: batch})
    np.testing.assert_allclose(trained.mean(axis=0), 0.0, atol=1e-4)   # batch-normalised
    before = tf_run(serve.get_outputs()[0], {x: batch})
    for _ in range(1000):
        tf_run(updates, {x: batch})
    after = tf_run(serve.get_outputs()[0], {x: batch})
    assert np.abs(before.mean(axis=0)).max() > 1.0            # initial moving stats: not normalised
    np.testing.assert_allclose(after, trained, atol=0.05)     # moving averages learned


def test_gradients_reach_every_weight(tf_run):
    module = MultiLayerFC(tf.ones([4, 3]), dims=[5, 1], batch_norm=True)
    grads = tf.gradients(tf.reduce_sum(module.get_outputs()[0]), module.get_variables(trainable_only=True))
    assert all(g is not None for g in grads)


@pytest.mark.parametrize("dims", [[], [0], [3, -1], None])
def test_invalid_dims_are_rejected(dims):
    with tf.Graph().as_default(), pytest.raises(SettingError, match="^mlp: `dims` must be a non-empty list"):
        MultiLayerFC(tf.ones([2, 3]), dims=dims, scope="mlp")


def test_input_of_wrong_rank_or_dtype_is_rejected():
    with tf.Graph().as_default():
        with pytest.raises(ShapeError, match="`in_tensor` must have rank 2"):
            MultiLayerFC(tf.ones([2, 3, 4]), dims=[2])
        with pytest.raises(DTypeError, match="floating point"):
            MultiLayerFC(tf.ones([2, 3], tf.int32), dims=[2])


def test_dropout_rate_out_of_range_is_rejected():
    with tf.Graph().as_default(), pytest.raises(UnknownOptionError, match="`dropout_mid` must be a finite number >= 0 and < 1"):
        MultiLayerFC(tf.ones([2, 3]), dims=[2], dropout_mid=1.5)
