"""Tests of the mean attribute embedding of items."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.extractions.attribute_embedding import AttributeEmbedding, padded_attribute_ids


def test_padded_attribute_ids():
    ids, counts = padded_attribute_ids(np.array([[0, 1, 1], [0, 0, 0], [1, 0, 0]]))
    assert ids.tolist() == [[1, 2], [0, 0], [0, 0]] and counts.tolist() == [2, 0, 1]


def test_mean_of_attribute_embeddings(tf_run):
    features = np.array([[0, 1, 1], [0, 0, 0], [1, 0, 0]], np.float32)
    module = AttributeEmbedding(features, 4, ids=tf.constant([0, 1, 2, 0]))
    table = [v for v in module.get_variables() if v.op.name.endswith('/embedding')][0]
    rows, embedding = tf_run([module.get_outputs()[0], table])
    np.testing.assert_allclose(rows[0], embedding[1:].mean(0), rtol=1e-6)
    np.testing.assert_array_equal(rows[1], np.zeros(4))
    np.testing.assert_allclose(rows[2], embedding[0], rtol=1e-6)
    assert [v.op.name for v in module.get_variables(trainable_only=True)] == ['attribute_embedding/embedding']


def test_bad_features(tf_run):
    with pytest.raises(ShapeError, match='non-empty 2-d multi-hot'):
        AttributeEmbedding(np.ones(3), 4)
