"""Tests of ScorePairwiseLog (RecBole's ConvNCFBPRLoss)."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.interactions.score_pairwise_log import ConvNCFBPRLoss, ScorePairwiseLog


def test_loss_is_summed_negative_log_sigmoid(tf_run):
    positive, negative = np.array([2.0, 0.5, -1.0], np.float32), np.array([1.0, 0.5, 3.0], np.float32)
    module = ConvNCFBPRLoss(tf.constant(positive), tf.constant(negative))
    expected = np.log1p(np.exp(-(positive - negative))).sum()
    assert tf_run(module.get_loss()) == pytest.approx(expected, rel=1e-6)
    np.testing.assert_allclose(tf_run(module.get_outputs()[0]), positive - negative)


def test_loss_is_stable_for_extreme_scores(tf_run):
    module = ScorePairwiseLog(tf.constant([-500.0, 500.0]), tf.constant([500.0, -500.0]))
    assert tf_run(module.get_loss()) == pytest.approx(1000.0)


def test_misaligned_scores_are_rejected():
    with tf.Graph().as_default():
        with pytest.raises(ShapeError, match="^score_pairwise_log: `positive` and `negative` must be aligned"):
            ScorePairwiseLog(tf.ones([3]), tf.ones([2]))
        with pytest.raises(ShapeError, match="`positive` must have rank 1"):
            ScorePairwiseLog(tf.ones([3, 1]), tf.ones([3]))
