"""Tests of the TUP interaction (KTUP's translation-based user preference)."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, ShapeError
from openrec2.modules.interactions.tup import TUP, induce_preference
from openrec2.modules.transh import orthogonality_loss

RNG = np.random.default_rng(0)
USERS, ITEMS = RNG.normal(size=(6, 5)).astype(np.float32), RNG.normal(size=(23, 5)).astype(np.float32)
PREFERENCE, NORMAL = RNG.normal(size=(3, 5)).astype(np.float32), RNG.normal(size=(3, 5)).astype(np.float32)


def numpy_scores(users, items, l1=False):
    """Reference: hard argmax preference, TransH projection, -distance, for every pair."""
    out = np.zeros((len(users), len(items)))
    for b, u in enumerate(users):
        for n, i in enumerate(items):
            k = np.argmax(PREFERENCE @ (u + i))
            w = NORMAL[k] / np.linalg.norm(NORMAL[k])
            residual = (u - i) - np.dot(u - i, w) * w + PREFERENCE[k]
            out[b, n] = -(np.abs(residual).sum() if l1 else np.square(residual).sum())
    return out


@pytest.mark.parametrize("l1", [False, True])
def test_all_item_scores_in_chunks_equal_the_reference(tf_run, l1):
    # 7 pairs per chunk with 6 users: one item per chunk, 23 chunks.
    all_items = TUP(USERS, PREFERENCE, NORMAL, item=ITEMS, L1_flag=l1, pairs_per_chunk=7, train=False)
    big_chunks = TUP(USERS, PREFERENCE, NORMAL, item=ITEMS, L1_flag=l1, pairs_per_chunk=40, train=False,
                     scope="other")
    pairs = TUP(USERS, PREFERENCE, NORMAL, p_item=ITEMS[:6], L1_flag=l1, train=False, scope="pairs")
    small, large, paired = tf_run([all_items.get_outputs()[0], big_chunks.get_outputs()[0], pairs.get_outputs()[0]])
    expected = numpy_scores(USERS, ITEMS, l1)
    assert small.shape == (6, 23)
    assert np.allclose(small, expected, atol=1e-4) and np.allclose(large, expected, atol=1e-4)
    assert np.allclose(paired, np.diag(expected[:, :6]), atol=1e-4)


def test_training_loss_is_bpr_plus_orthogonality(tf_run):
    module = TUP(USERS, PREFERENCE, NORMAL, p_item=ITEMS[:6], n_item=ITEMS[6:12])
    soft = TUP(USERS, PREFERENCE, NORMAL, p_item=ITEMS[:6], n_item=ITEMS[6:12], use_st_gumbel=False, scope="soft")
    difference, loss, orthogonal = tf_run([module.get_outputs()[0], module.get_loss(),
                                           orthogonality_loss(PREFERENCE, NORMAL)])
    assert difference.shape == (6,)
    assert np.isclose(loss, np.sum(np.logaddexp(0.0, -difference)) + orthogonal, rtol=1e-5)
    soft_difference, soft_loss = tf_run([soft.get_outputs()[0], soft.get_loss()])
    assert np.isclose(soft_loss, np.sum(np.logaddexp(0.0, -soft_difference)) + orthogonal, rtol=1e-5)


def test_preference_induction_is_deterministic_at_serving_only(tf_run):
    users, items = tf.constant(np.repeat(USERS[:1], 500, 0)), tf.constant(np.repeat(ITEMS[:1], 500, 0))
    serving = induce_preference(users, items, PREFERENCE, NORMAL, use_st_gumbel=True, train=False)[0]
    training = induce_preference(users, items, PREFERENCE, NORMAL, use_st_gumbel=True, train=True)[0]
    soft = induce_preference(users, items, PREFERENCE, NORMAL, use_st_gumbel=False, train=True)[0]
    chosen, noisy, weights = tf_run([serving, training, soft])
    assert np.all(chosen.argmax(1) == np.argmax(PREFERENCE @ (USERS[0] + ITEMS[0])))
    assert len(np.unique(noisy.argmax(1))) > 1  # Gumbel noise varies the training choice
    assert np.allclose(weights.sum(1), 1.0) and np.all(weights > 0)


def test_gradients_reach_every_preference_row(tf_run):
    preference, normal = tf.Variable(PREFERENCE), tf.Variable(NORMAL)
    module = TUP(tf.constant(USERS), preference, normal, p_item=ITEMS[:6], n_item=ITEMS[6:12])
    grads = tf_run(tf.gradients(module.get_loss(), [preference, normal]))
    assert all(np.all(np.abs(g).sum(1) > 0) for g in grads)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(MissingInputError, match="training needs both"):
            TUP(USERS, PREFERENCE, NORMAL, p_item=ITEMS[:6])
        with pytest.raises(MissingInputError, match="serving needs"):
            TUP(USERS, PREFERENCE, NORMAL, train=False)
        with pytest.raises(ShapeError, match="same shape"):
            TUP(USERS, PREFERENCE, NORMAL[:2], item=ITEMS, train=False)
        with pytest.raises(ShapeError, match="must have rank 2"):
            TUP(USERS[0], PREFERENCE, NORMAL, item=ITEMS, train=False)
