"""SequenceAverage averages each padded sequence over its real steps only."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError
from openrec2.modules.fusions import SequenceAverage


def run(sequence, lengths):
    with tf.Graph().as_default():
        module = SequenceAverage(tf.constant(sequence, tf.float32), tf.constant(lengths, tf.int32))
        with tf.Session() as sess:
            return sess.run(module.get_outputs()[0])


def test_padding_does_not_count_and_an_empty_history_gives_zeros():
    rng = np.random.default_rng(0)
    sequence = rng.normal(size=(3, 5, 4))
    lengths = [2, 5, 0]
    means = run(sequence, lengths)
    np.testing.assert_allclose(means[0], sequence[0, :2].mean(0), rtol=1e-5)
    np.testing.assert_allclose(means[1], sequence[1].mean(0), rtol=1e-5)
    np.testing.assert_allclose(means[2], 0.0)
    changed = sequence.copy()
    changed[0, 2:] = 1e3  # other padding, same answer
    np.testing.assert_allclose(run(changed, lengths), means, rtol=1e-5)


def test_a_sequence_that_is_not_3d_is_refused():
    with tf.Graph().as_default(), pytest.raises(ShapeError, match='rank 3'):
        SequenceAverage(tf.zeros([3, 4]), tf.zeros([3], tf.int32))
