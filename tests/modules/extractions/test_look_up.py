"""Tests of LookUp: fixed, non-trainable embeddings."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.extractions import LookUp


def test_looks_up_rows_and_is_not_trainable(tf_run):
    embed = np.arange(6, dtype=np.float32).reshape(3, 2)
    module = LookUp(embed, ids=tf.constant([2, 0]))
    np.testing.assert_array_equal(tf_run(module.get_outputs()[0]), embed[[2, 0]])
    assert tf.trainable_variables() == []
    assert tf.gradients(tf.reduce_sum(module.get_outputs()[0]), tf.global_variables()) == [None]


def test_whole_matrix_without_ids(tf_run):
    embed = np.eye(3, dtype=np.float32)
    np.testing.assert_array_equal(tf_run(LookUp(embed).get_outputs()[0]), embed)


def test_rejects_non_matrix():
    with tf.Graph().as_default(), pytest.raises(ShapeError, match="^features: `embed` must be a 2-d array"):
        LookUp(np.zeros(3), scope="features")
