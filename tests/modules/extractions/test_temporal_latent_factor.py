"""Tests of TemporalLatentFactor: identity pre-training and forward updates."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError
from openrec2.modules.extractions import TemporalLatentFactor


def test_identity_pretraining_then_forward_update_moves_only_used_rows(tf_run):
    init = np.random.default_rng(0).normal(size=(30, 4)).astype(np.float32)
    ids = tf.placeholder(tf.int32, [None])
    module = TemporalLatentFactor([30, 4], mlp_dims=[8, 4], ids=ids, init=init)
    output = module.get_outputs()[0]
    # The pre-training MLP's batch-norm updates need the pre-training feed, so they must
    # stay out of the collection recommenders run with every step.
    every_step = tf.get_collection(tf.GraphKeys.UPDATE_OPS)  # the trained MLP's own two batch norms
    assert len(every_step) == 4 and len(module._pretrain_updates) == 4
    assert not set(every_step) & set(module._pretrain_updates)
    tf_run(tf.no_op())  # initialise
    error = module.pretrain_mlp_as_identity(tf_run.sess, steps=400)
    assert error < 0.05
    tf_run(output, {ids: [1, 2]})                              # marks rows 1 and 2 as used
    before = tf_run(module._embedding)
    module.forward_update_embeddings(tf_run.sess)
    after = tf_run(module._embedding)
    changed = np.flatnonzero(np.abs(after - before).sum(axis=1) > 0)
    np.testing.assert_array_equal(changed, [1, 2])
    np.testing.assert_allclose(after[[1, 2]], before[[1, 2]], atol=0.5)   # near-identity MLP


def test_output_shape_follows_ids(tf_run):
    module = TemporalLatentFactor([10, 3], mlp_dims=[3], ids=tf.constant([[1, 2], [3, 4]]))
    assert tf_run(module.get_outputs()[0]).shape == (2, 2, 3)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(MissingInputError, match="`ids` is required"):
            TemporalLatentFactor([10, 3], mlp_dims=[3], ids=None)
        with pytest.raises(ShapeError, match="must equal the embedding size 3"):
            TemporalLatentFactor([10, 3], mlp_dims=[4], ids=tf.constant([1]))
