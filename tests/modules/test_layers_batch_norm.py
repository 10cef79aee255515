"""Tests of where batch_norm registers its moving-average updates."""

import tensorflow.compat.v1 as tf

from openrec2.modules.layers import batch_norm, updates_into


def test_updates_go_to_update_ops_unless_redirected(tf_run):
    batch_norm(tf.ones([4, 3]), train=True, scope="default")
    with updates_into("separate"):
        batch_norm(tf.ones([4, 3]), train=True, scope="redirected")
    batch_norm(tf.ones([4, 3]), train=True, scope="default_again")
    assert len(tf.get_collection("separate")) == 2
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 4
    assert all("redirected" in op.name for op in tf.get_collection("separate"))
