"""Tests of map_row_blocks: blockwise results equal the whole computation."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.interactions.block_map import map_row_blocks


def test_blocks_cover_every_row_once(tf_run):
    values = np.arange(23 * 3, dtype=np.float32).reshape(23, 3)
    weights = np.arange(23, dtype=np.float32)
    result = map_row_blocks(lambda x, w: tf.reduce_sum(x, 1) * w, [tf.constant(values), tf.constant(weights)], 5)
    np.testing.assert_allclose(tf_run(result), values.sum(1) * weights)


def test_single_tensor_and_exact_multiple(tf_run):
    values = np.ones((8, 2, 2), np.float32)
    result = map_row_blocks(lambda x: x * 2.0, tf.constant(values), 4)
    np.testing.assert_allclose(tf_run(result), values * 2.0)
