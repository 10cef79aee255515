"""Tests of LatentFactor: lookups, initialisers, regularisation, gradients, norm censoring."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import DTypeError, SettingError, ShapeError, UnknownOptionError
from openrec2.modules.extractions import LatentFactor


def test_looks_up_rows_of_the_given_init_array(tf_run):
    table = np.arange(12, dtype=np.float32).reshape(4, 3)
    module = LatentFactor([4, 3], init=table, ids=[2, 0, 2])
    np.testing.assert_array_equal(tf_run(module.get_outputs()[0]), table[[2, 0, 2]])


def test_whole_table_when_ids_is_none(tf_run):
    module = LatentFactor([4, 3], init="zero")
    out = tf_run(module.get_outputs()[0])
    assert out.shape == (4, 3) and not out.any()


def test_normal_init_is_small_and_random(tf_run):
    out = tf_run(LatentFactor([1000, 8]).get_outputs()[0])
    assert 0.005 < out.std() < 0.02 and abs(out.mean()) < 0.002


def test_l2_loss_covers_looked_up_rows_only(tf_run):
    table = np.ones((4, 2), dtype=np.float32)
    module = LatentFactor([4, 2], init=table, ids=[1, 1, 3], l2_reg=0.5)
    # 0.5 * l2_loss(3 rows of ones in 2-d) = 0.5 * (6 / 2)
    assert tf_run(module.get_loss()) == pytest.approx(1.5)


def test_no_regularisation_gives_zero_loss(tf_run):
    assert tf_run(LatentFactor([4, 2], ids=[0]).get_loss()) == 0.0


def test_gradient_is_sparse_and_reaches_only_looked_up_rows(tf_run):
    module = LatentFactor([6, 2], ids=[1, 4], l2_reg=1.0)
    (grad,) = tf.gradients(module.get_loss(), [module.embedding])
    assert isinstance(grad, tf.IndexedSlices)
    dense = tf_run(tf.convert_to_tensor(grad))
    touched = np.flatnonzero(np.abs(dense).sum(axis=1))
    np.testing.assert_array_equal(touched, [1, 4])


def test_unknown_init_is_rejected():
    with tf.Graph().as_default(), pytest.raises(UnknownOptionError, match="^latent_factor: `init.*` must be one of \\['normal', 'zero'\\], got 'uniform'"):
        LatentFactor([4, 2], init="uniform")


def test_init_array_of_wrong_shape_is_rejected():
    with tf.Graph().as_default(), pytest.raises(ShapeError, match=r"^user: `init` array has shape \(3, 2\)"):
        LatentFactor([4, 2], init=np.zeros((3, 2)), scope="user")


def test_float_ids_are_rejected():
    with tf.Graph().as_default(), pytest.raises(DTypeError, match="integer ids"):
        LatentFactor([4, 2], ids=tf.constant([0.0, 1.0]))


def test_bad_shape_is_rejected():
    with tf.Graph().as_default(), pytest.raises(SettingError, match=r"`shape` must be a list of 2 integers"):
        LatentFactor([4], init="zero")


def test_censor_bounds_the_norm_of_listed_rows_only(tf_run):
    table = np.array([[3.0, 4.0], [0.3, 0.4], [6.0, 8.0], [1.0, 0.0]], dtype=np.float32)
    module = LatentFactor([4, 2], init=table, scope="censored")
    op = module.censor_l2_norm_op(censor_id_list=[0, 1, 0], max_norm=1.0)
    tf_run(op)
    after = tf_run(module.embedding)
    np.testing.assert_allclose(np.linalg.norm(after, axis=1)[:2], [1.0, 0.5], rtol=1e-6)
    np.testing.assert_allclose(after[0], [0.6, 0.8], rtol=1e-6)      # direction kept
    np.testing.assert_array_equal(after[2:], table[2:])               # unlisted rows untouched


def test_censor_all_rows(tf_run):
    module = LatentFactor([50, 4], init=np.random.default_rng(0).normal(size=(50, 4)) * 3)
    tf_run(module.censor_l2_norm_op(max_norm=0.5))
    assert np.linalg.norm(tf_run(module.embedding), axis=1).max() <= 0.5 + 1e-6


def test_normalize_puts_listed_rows_on_the_unit_sphere(tf_run):
    table = np.array([[3.0, 4.0], [0.03, 0.04], [0.0, 0.0], [6.0, 8.0]], dtype=np.float32)
    module = LatentFactor([4, 2], init=table, scope="normalized")
    tf_run(module.normalize_l2_norm_op(censor_id_list=[0, 1, 2]))
    after = tf_run(module.embedding)
    np.testing.assert_allclose(after[:2], [[0.6, 0.8], [0.6, 0.8]], rtol=1e-6)  # short rows lengthened too
    np.testing.assert_array_equal(after[2:], table[2:])  # a zero row stays zero; unlisted rows untouched
    tf_run(module.normalize_l2_norm_op(norm=2.0))
    np.testing.assert_allclose(np.linalg.norm(tf_run(module.embedding), axis=1), [2.0, 2.0, 0.0, 2.0], rtol=1e-6)


@pytest.mark.parametrize("censor_ids", [None, [0, 5, 5, 9, 17]])
@pytest.mark.parametrize("method", ["censor_l2_norm_op", "normalize_l2_norm_op"])
def test_row_rescaling_of_a_partitioned_table_rescales_the_listed_rows_in_their_parts(censor_ids, method):
    # A cluster placement partitions the tables (openrec2.distributed); the row-norm ops must
    # then rescale the listed rows in whichever part holds them.
    with tf.Graph().as_default():
        with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(3)):
            module = LatentFactor([18, 4], init="normal", ids=tf.constant([0, 1]), scope="user")
        assert not isinstance(module.embedding, tf.Variable)
        table = tf.concat(list(module.embedding), 0)
        scale = tf.group(*[part.assign(part * 5.0) for part in module.embedding])
        op = getattr(module, method)(censor_ids, 1.0)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(scale)
            before = sess.run(table)
            sess.run(op)
            after = sess.run(table)
    rows = np.arange(18) if censor_ids is None else np.unique(censor_ids)
    norms = np.linalg.norm(before, axis=1, keepdims=True)
    expected = before.copy()
    factor = 1.0 / norms if method == "normalize_l2_norm_op" else np.minimum(1.0, 1.0 / norms)
    expected[rows] = (before * factor)[rows]
    np.testing.assert_allclose(after, expected, rtol=1e-5)


@pytest.mark.parametrize("embed_limit", [None, 16])
def test_an_array_initialises_each_part_of_a_partitioned_table_with_its_rows(embed_limit, monkeypatch):
    from openrec2.modules import array_initializer
    from openrec2.modules.array_initializer import initializer_feeds

    if embed_limit is not None:  # parts above the limit are fed through placeholders
        monkeypatch.setattr(array_initializer, "EMBED_LIMIT_BYTES", embed_limit)
    start = np.arange(18 * 4, dtype=np.float32).reshape(18, 4)
    with tf.Graph().as_default() as graph:
        with tf.variable_scope("model", partitioner=tf.fixed_size_partitioner(3)):
            module = LatentFactor([18, 4], init=start, ids=tf.constant([0, 17]), scope="user")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer(), feed_dict=initializer_feeds(graph))
            np.testing.assert_array_equal(sess.run(tf.concat(list(module.embedding), 0)), start)
            np.testing.assert_array_equal(sess.run(module.get_outputs()[0]), start[[0, 17]])
