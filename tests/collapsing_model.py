"""A model whose scores are the same for every item, for the tests of collapse reporting."""

import contextlib

import tensorflow.compat.v1 as tf

from openrec2.recommenders import Recommender
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.experiments.model_registry import MODELS, ModelSpec, register_model


class GlobalBias(IdInputs, Recommender):
    """Scores every (user, item) pair with one trained scalar: a model that has collapsed."""

    training_sampler = 'PairwiseSampler'

    def __init__(self, batch_size, max_user, max_item, dim_embed=1, **kwargs):
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, **kwargs)

    def _build_default_interactions(self, train=True):
        bias = tf.get_variable('bias', [], initializer=tf.constant_initializer(0.3))
        users = self._get_input('user_id', train)
        if train:
            self._add_loss(tf.reduce_mean(tf.square(bias - tf.cast(users >= 0, tf.float32))))
            return
        self._set_serving_output(tf.fill(tf.stack([tf.size(users), self._max_item]), bias), ['user_id'])
        self._set_serving_output(tf.fill(tf.shape(users), bias), ['user_id', 'item_id'])


@contextlib.contextmanager
def registered_collapsing_model():
    """Register ``GlobalBias`` as a command-line model while the block runs."""
    import openrec2.recommenders
    openrec2.recommenders.GlobalBias = GlobalBias
    register_model(ModelSpec('GlobalBias', 'GlobalBias', defaults=dict(epochs=2)))
    try:
        yield GlobalBias
    finally:
        del MODELS['GlobalBias']
        del openrec2.recommenders.GlobalBias
