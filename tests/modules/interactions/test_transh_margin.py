"""Tests of the TransHMargin interaction."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, UnknownOptionError
from openrec2.modules.interactions.transh_margin import TransHMargin
from openrec2.modules.transh import norm_excess_loss, orthogonality_loss, transh_distance

RNG = np.random.default_rng(0)
HEAD, RELATION, NORMAL, TAIL, CORRUPTED = (RNG.normal(size=(10, 4)).astype(np.float32) * 0.5 for _ in range(5))


@pytest.mark.parametrize("l1", [False, True])
def test_loss_and_scores(tf_run, l1):
    module = TransHMargin(HEAD, RELATION, NORMAL, TAIL, CORRUPTED, margin=0.7, L1_flag=l1)
    serving = TransHMargin(HEAD, RELATION, NORMAL, TAIL, L1_flag=l1, train=False, scope="serving")
    positive = transh_distance(HEAD, RELATION, NORMAL, TAIL, l1)
    negative = transh_distance(HEAD, RELATION, NORMAL, CORRUPTED, l1)
    extras = orthogonality_loss(RELATION, NORMAL) + norm_excess_loss(np.concatenate([HEAD, TAIL, CORRUPTED, RELATION]))
    loss, score, served, pos, neg, extra = tf_run([module.get_loss(), module.get_outputs()[0],
                                                   serving.get_outputs()[0], positive, negative, extras])
    assert np.isclose(loss, np.maximum(0.0, 0.7 + pos - neg).sum() + extra, rtol=1e-5)
    assert np.allclose(score, -pos) and np.allclose(served, -pos)


def test_errors():
    with tf.Graph().as_default():
        with pytest.raises(MissingInputError, match="corrupted_tail"):
            TransHMargin(HEAD, RELATION, NORMAL, TAIL)
        with pytest.raises(UnknownOptionError, match="`margin` must be a finite number > 0"):
            TransHMargin(HEAD, RELATION, NORMAL, TAIL, CORRUPTED, margin=0.0)
