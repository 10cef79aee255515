"""Tests of the fusion modules Concat, Average and Sum."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError
from openrec2.modules.extractions import IdentityMapping
from openrec2.modules.fusions import Average, Concat, Sum


def _modules():
    return [IdentityMapping(tf.constant([[1.0, 2.0]]), scope="a"),
            IdentityMapping(tf.constant([[3.0, 6.0]]), scope="b")]


def test_concat(tf_run):
    np.testing.assert_array_equal(tf_run(Concat(_modules()).get_outputs()[0]), [[1, 2, 3, 6]])
    np.testing.assert_array_equal(tf_run(Concat(_modules(), axis=0, scope="c0").get_outputs()[0]),
                                  [[1, 2], [3, 6]])


def test_average_with_weight(tf_run):
    np.testing.assert_allclose(tf_run(Average(_modules(), weight=2.0).get_outputs()[0]), [[4.0, 8.0]])


def test_sum_accepts_modules_and_tensors(tf_run):
    out = Sum(_modules() + [tf.constant([[1.0, 1.0]])]).get_outputs()[0]
    np.testing.assert_allclose(tf_run(out), [[5.0, 9.0]])


def test_empty_module_list_is_rejected():
    with tf.Graph().as_default(), pytest.raises(MissingInputError, match="no output to fuse"):
        Concat([])
