"""Tests of the shared row-norm helpers."""

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.row_norms import project_rows


def test_project_rows_rescales_only_rows_outside_the_ball(tf_run):
    delta = np.array([[0.3, 0.0], [3.0, 4.0]], np.float32)
    result = tf_run(project_rows(tf.constant(delta), 0.5))
    np.testing.assert_allclose(result, [[0.3, 0.0], [0.3, 0.4]], atol=1e-6)
