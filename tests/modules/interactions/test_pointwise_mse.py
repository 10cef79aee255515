"""Tests of PointwiseMSE: confidence weights, sigmoid option, serving."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError
from openrec2.modules.interactions import PointwiseMSE


def test_weighted_squared_error(tf_run):
    user = tf.constant([[1.0, 0.0], [1.0, 0.0]])
    item = tf.constant([[0.5, 0.0], [2.0, 0.0]])
    labels = tf.constant([1.0, 0.0])
    module = PointwiseMSE(user, item, labels=labels, a=2.0, b=0.5)
    # positive: 2.0 * (1 - 0.5)^2 ; zero label: 0.5 * (0 - 2)^2
    assert tf_run(module.get_loss()) == pytest.approx(2.0 * 0.25 + 0.5 * 4.0)


def test_sigmoid_predictions_and_all_item_serving(tf_run):
    user = tf.constant([[1.0, 0.0]])
    items = tf.constant([[0.0, 0.0], [2.0, 0.0]])
    bias = tf.constant([[1.0], [0.0]])
    serve = PointwiseMSE(user, items, item_bias=bias, sigmoid=True, batch_serving=True, train=False)
    np.testing.assert_allclose(tf_run(serve.get_outputs()[0]), 1 / (1 + np.exp(-np.array([[1.0, 2.0]]))), rtol=1e-6)


def test_training_needs_labels():
    with tf.Graph().as_default(), pytest.raises(MissingInputError, match="^pointwise_mse: training needs `labels`"):
        PointwiseMSE(tf.ones([2, 2]), tf.ones([2, 2]))
