"""Tests of OuterProductCNN: shapes, the factorised all-item path, sharing, errors."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, ShapeError
from openrec2.modules.interactions.outer_product_cnn import OuterProductCNN

DEFAULT_TOWER = ((1, 32, 32, 32, 32), (4, 4, 2, 2), (4, 4, 2, 2))


def build(tower, dim, users, items, blocks=(3, 5)):
    """Training module plus serving all-item and pair modules over shared variables."""
    channels, kernels, strides = tower
    user = tf.constant(users)
    train = OuterProductCNN(user, tf.constant(items[:len(users)]), channels, kernels, strides,
                            dropout_prob=0.5, weight_norm_reg=0.1, scope="cnn")
    with tf.variable_scope("", reuse=True):
        all_items = OuterProductCNN(user, tf.constant(items), channels, kernels, strides, all_items=True,
                                    block_users=blocks[0], block_items=blocks[1], train=False, scope="cnn")
        rows = np.repeat(np.arange(len(users)), len(items))
        pairs = OuterProductCNN(tf.constant(users[rows]), tf.constant(np.tile(items, (len(users), 1))),
                                channels, kernels, strides, block_pairs=17, train=False, scope="cnn")
    return train, all_items, pairs


@pytest.mark.parametrize("tower", [
    DEFAULT_TOWER,
    ((1, 8), (64,), (1,)),                     # one layer covering the whole map
    ((1, 4, 6), (4, 31), (2, 1)),              # overlapping first layer
    ((1, 4, 6, 5), (4, 3, 15), (2, 2, 1)),     # overlapping second layer
    ((1, 3, 5, 2), (6, 4, 6), (2, 5, 1)),      # second layer skipping positions
])
def test_all_item_scores_equal_pair_scores(tf_run, tower):
    rng = np.random.default_rng(0)
    users = rng.normal(size=(7, 64)).astype(np.float32)
    items = rng.normal(size=(11, 64)).astype(np.float32)
    _, all_items, pairs = build(tower, 64, users, items)
    tf_run([])  # initialise, then make every weight and bias non-trivial
    for variable in tf.global_variables():
        variable.load(rng.normal(size=variable.shape.as_list()) * 0.3, tf_run.sess)
    scores, pair_scores = tf_run([all_items.get_outputs()[0], pairs.get_outputs()[0]])
    assert scores.shape == (7, 11)
    assert np.std(scores) > 1e-3  # not a constant
    # Two float32 summation orders over up to 64 x 64 terms; a wrong geometry is off by O(1).
    np.testing.assert_allclose(scores, pair_scores.reshape(7, 11), atol=1e-4, rtol=1e-5)


def test_variables_are_shared_and_penalised(tf_run):
    rng = np.random.default_rng(1)
    train, all_items, pairs = build(DEFAULT_TOWER, 64, rng.normal(size=(2, 64)).astype(np.float32),
                                    rng.normal(size=(3, 64)).astype(np.float32))
    names = sorted(v.op.name for v in tf.global_variables())
    assert names == sorted([f"cnn/conv{i}/{n}" for i in range(4) for n in ("weights", "bias")]
                           + ["cnn/prediction/weights", "cnn/prediction/bias"])
    assert all_items.get_variables() == train.get_variables() == pairs.get_variables()
    weights = [v for v in tf.global_variables() if v.op.name.endswith("weights")]
    expected = 0.1 * sum(np.linalg.norm(w) for w in tf_run(weights))
    assert tf_run(train.get_loss()) == pytest.approx(expected, rel=1e-5)
    assert tf_run(all_items.get_loss()) == 0.0
    assert train.sizes == [64, 16, 4, 2, 1]


def test_dropout_only_in_training(tf_run):
    users = tf.constant(np.random.default_rng(2).normal(size=(64, 8)).astype(np.float32))
    train = OuterProductCNN(users, users, (1, 4), (8,), (1,), dropout_prob=0.5, scope="cnn")
    with tf.variable_scope("", reuse=True):
        serve = OuterProductCNN(users, users, (1, 4), (8,), (1,), dropout_prob=0.5, train=False, scope="cnn")
    served = tf_run(serve.get_outputs()[0])
    assert tf_run(train.get_outputs()[0]).shape == (64,)
    assert not np.allclose(tf_run(train.get_outputs()[0]), tf_run(train.get_outputs()[0]))
    np.testing.assert_allclose(tf_run(serve.get_outputs()[0]), served)


@pytest.mark.parametrize("channels, kernels, strides, message", [
    ((1, 32, 32), (4, 4), (4, 4), r"the last conv layer \(2\) outputs 4x4.*\[64, 16, 4\]"),
    ((1, 32, 32), (4, 32), (4, 1), r"conv layer 2 has kernel 32x32 but its input is only 16x16"),
    ((1, 32), (4, 4), (4, 4), "`cnn_channels` needs one entry more than `cnn_kernels`"),
    ((2, 32), (64,), (1,), r"`cnn_channels\[0\]`.*must be 1"),
    ((1, 0), (64,), (1,), "`cnn_channels` must be a non-empty list of integers >= 1"),
])
def test_impossible_towers_are_rejected(channels, kernels, strides, message):
    with tf.Graph().as_default():
        with pytest.raises((ShapeError, SettingError), match="^outer_product_cnn: " + message):
            OuterProductCNN(tf.ones([2, 64]), tf.ones([2, 64]), channels, kernels, strides)


def test_bad_inputs_are_rejected():
    with tf.Graph().as_default():
        with pytest.raises(ShapeError, match="same known width, got 64 and 32"):
            OuterProductCNN(tf.ones([2, 64]), tf.ones([2, 32]))
        with pytest.raises(ShapeError, match="`user` must have rank 2"):
            OuterProductCNN(tf.ones([64]), tf.ones([2, 64]))
        with pytest.raises(ShapeError, match="all-item scoring .* is for serving"):
            OuterProductCNN(tf.ones([2, 64]), tf.ones([5, 64]), all_items=True)
