"""openrec2's VBPR with the VBPR samplers: it trains from VBPRPairwiseSampler and is evaluated by
VBPREvaluationSampler exactly as with the plain samplers, and the features the batches carry are the
ones its graph holds (a scorer reading them from the batch reproduces its scores)."""

import numpy as np
import pytest
import tensorflow.compat.v1 as tf

from openrec2.datasets import make_planted_implicit
from openrec2.errors import MissingInputError
from openrec2.recommenders import VBPR
from openrec2.utils.evaluators import evaluate_with_scorer
from openrec2.utils.samplers import (EvaluationSampler, PairwiseSampler, VBPREvaluationSampler, VBPRPairwiseSampler,
                                     without_item_features)

SPLIT = make_planted_implicit(num_users=60, num_items=40, rank=3, per_user=10, seed=2)
FEATURES = np.random.default_rng(0).normal(size=(40, 6)).astype(np.float32)
EXCLUDED = [SPLIT.train, SPLIT.validation]


def make_vbpr():
    return VBPR(32, SPLIT.max_user, SPLIT.max_item, FEATURES, factors=6, factors_d=3, lr=0.05, seed=0)


@pytest.fixture(scope="module")
def trained():
    with make_vbpr() as model, PairwiseSampler(SPLIT.train, 32, seed=1) as sampler:
        for _ in range(60):
            model.train(next(sampler))
        yield model


def test_vbpr_trains_from_the_vbpr_sampler_as_from_the_plain_one():
    users = np.arange(SPLIT.max_user)
    with make_vbpr() as featured_model, make_vbpr() as plain_model, \
            VBPRPairwiseSampler(SPLIT.train, 32, FEATURES, seed=1, num_process=2) as featured, \
            PairwiseSampler(SPLIT.train, 32, seed=1) as plain:
        losses = np.array([(featured_model.train(next(featured)), plain_model.train(next(plain)))
                           for _ in range(60)])
        np.testing.assert_allclose(featured_model.serve_all_items(users), plain_model.serve_all_items(users),
                                   rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(losses[:, 0], losses[:, 1], rtol=1e-5)
    assert losses[-10:, 0].mean() < 0.8 * losses[:10, 0].mean()  # it trains


def numpy_vbpr_scorer(model):
    """VBPR's score computed from the model's weights and the features of the batch, not of the model."""
    values = {v.op.name: value for v, value in zip(model.graph.get_collection(tf.GraphKeys.GLOBAL_VARIABLES),
                                                  model.sess.run(model.graph.get_collection(
                                                      tf.GraphKeys.GLOBAL_VARIABLES)))}
    p, theta = values["vbpr/user/embedding"], values["vbpr/user_visual/embedding"]
    q, bias = values["vbpr/item/embedding"], values["vbpr/item_bias/embedding"][:, 0]
    projection, beta = values["vbpr/visual_projection/projection"], values["vbpr/visual_projection/visual_bias"]

    def score(batch):
        users, features = batch["user_id"], batch["item_vfeature"]
        visual, visual_bias = features @ projection, (features @ beta)[:, 0]
        if "item_id" not in batch:  # every item, row j of the features for item j
            return p[users] @ q.T + theta[users] @ visual.T + bias + visual_bias
        items = batch["item_id"]
        return (p[users] * q[items]).sum(1) + (theta[users] * visual).sum(1) + bias[items] + visual_bias
    return score


@pytest.mark.parametrize("num_negatives", [None, 10])
def test_vbpr_is_evaluated_by_the_vbpr_sampler_as_by_the_plain_one(trained, num_negatives):
    plain = EvaluationSampler(SPLIT.test, 16, excluded_datasets=EXCLUDED, num_negatives=num_negatives, seed=3)
    featured = VBPREvaluationSampler(SPLIT.test, 16, FEATURES, excluded_datasets=EXCLUDED,
                                     num_negatives=num_negatives, seed=3)
    reference = dict(evaluate_with_scorer(trained.serve, plain))
    assert dict(evaluate_with_scorer(lambda batch: trained.serve(without_item_features(batch)), featured)) \
        == reference
    from_batch_features = dict(evaluate_with_scorer(numpy_vbpr_scorer(trained), featured))
    assert from_batch_features == pytest.approx(reference, abs=1e-6)


def test_serving_a_featured_batch_as_it_is_names_the_extra_key(trained):
    batch = VBPREvaluationSampler(SPLIT.test, 16, FEATURES, excluded_datasets=EXCLUDED).batch(0)
    with pytest.raises(MissingInputError, match=r"\['item_vfeature'\] are no inputs of this model"):
        trained.serve(batch)
