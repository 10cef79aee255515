"""A perturbation of an item feature matrix, held in the serving graph for evaluation attacks.

Robustness evaluation of content models (Tang et al., "Adversarial Training Towards
Robust Multimedia Recommender System", TKDE 2019; Anelli et al., "Multi-Step
Adversarial Perturbations on Recommender Systems Embeddings", FLAIRS 2021) scores
every item with its features ``f_i + delta_i``, ``||delta_i||_2 <= eps``, where
``delta`` is chosen to increase the expected BPR loss of the training pairs:

    L(delta) = sum over training pairs (u, i) of  mean over all items j of
               softplus(s(u, j) - s(u, i))

A model that reads an item feature matrix passes it through
``Recommender._perturbable_item_features`` in its serving graph; this module then sits
between the matrix and the model: ``perturbed`` is the clean matrix unless the serving
call switches the perturbation on (``active``), so clean serving costs nothing extra.
After the serving graph is built, :meth:`FeaturePerturbation.build_attack` adds, from
the model's all-item scores, the loss above for a block of (user, item) pairs and the
ops an attack needs: accumulate its gradient over blocks, take a projected step per
item (:func:`~openrec2.modules.adversarial_perturbation.projected_step`), hold a given
perturbation, clear. The attacks themselves (FGSM, MSAP) are driven by
:mod:`openrec2.trainer.adversarial_evaluation`; the methods here run one op each.

The perturbation and its gradient are local variables: never saved in checkpoints,
zero after initialisation.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import ShapeError, scoped
from openrec2.modules.adversarial_perturbation import projected_step


class FeaturePerturbation:
    """Perturbation ``delta`` of a ``[N, F]`` item feature matrix, switched on per call.

    Args:
        features: ``[N, F]`` float32 feature tensor of the serving graph (fully known shape).
        scope: Scope of the model, for messages and op names.

    Raises:
        ShapeError: The shape of ``features`` is not fully known.
    """

    def __init__(self, features: tf.Tensor, scope: str) -> None:
        if features.shape.ndims != 2 or not features.shape.is_fully_defined():
            raise ShapeError(scoped(scope, f'perturbable item features must be [N, F] with a known shape, got '
                                           f'{features.shape}.'))
        self.scope = scope
        self.shape = tuple(features.shape.as_list())
        local = [tf.GraphKeys.LOCAL_VARIABLES]
        with tf.name_scope('feature_perturbation'):
            self.delta = tf.Variable(tf.zeros(self.shape), trainable=False, collections=local, name='delta')
            self.gradient = tf.Variable(tf.zeros(self.shape), trainable=False, collections=local, name='gradient')
            self.active = tf.placeholder_with_default(False, [], name='active')
            self._read = tf.identity(self.delta)  # the attack differentiates with respect to this read
            self.perturbed = tf.cond(self.active, lambda: features + self._read, lambda: features)
        self._loss: Optional[tf.Tensor] = None

    def build_attack(self, scores: tf.Tensor, user_id: tf.Tensor) -> None:
        """Add the attack loss and the attack ops.

        Args:
            scores: ``[B, N]`` all-item scores of the serving graph for the users fed in
                ``user_id`` (computed from :attr:`perturbed`).
            user_id: The serving graph's ``user_id`` placeholder.
        """
        with tf.name_scope('feature_attack'):
            self._user_id = user_id
            self._item_id = tf.placeholder(tf.int32, [None], name='item_id')
            positive = tf.gather(scores, self._item_id, axis=1, batch_dims=1)
            self._loss = tf.reduce_sum(tf.reduce_mean(tf.nn.softplus(scores - positive[:, None]), axis=1))
            gradient = tf.gradients(self._loss, self._read)[0]
            if gradient is None:
                raise ShapeError(scoped(self.scope, 'the all-item scores do not depend on the perturbable item '
                                                    'features; pass the matrix the scores are computed from.'))
            self._accumulate = self.gradient.assign_add(gradient).op
            self._step_size = tf.placeholder(tf.float32, [], name='step_size')
            self._eps = tf.placeholder(tf.float32, [], name='eps')
            stepped = projected_step(self.delta, self.gradient, self._step_size, self._eps)
            with tf.control_dependencies([self.delta.assign(stepped)]):
                self._step = self.gradient.assign(tf.zeros_like(self.gradient)).op
            clear_gradient = self.gradient.assign(tf.zeros_like(self.gradient)).op
            self._held = tf.placeholder(tf.float32, self.shape, name='held')
            with tf.control_dependencies([self.delta.assign(self._held)]):
                self._hold = tf.group(clear_gradient)
            self._clear = tf.group(clear_gradient, self.delta.assign(tf.zeros_like(self.delta)))

    # ------------------------------------------------------------------ one op each
    def _pair_feed(self, users: np.ndarray, items: np.ndarray) -> dict:
        return {self._user_id: np.asarray(users, np.int32), self._item_id: np.asarray(items, np.int32),
                self.active: True}

    def accumulate_gradient(self, sess: tf.Session, users: np.ndarray, items: np.ndarray) -> None:
        """Add the gradient of the loss of these (user, item) pairs, at the held perturbation.

        Args:
            sess: The model's session.
            users: int ``[M]`` user ids.
            items: int ``[M]`` their positive items.
        """
        sess.run(self._accumulate, self._pair_feed(users, items))

    def loss(self, sess: tf.Session, users: np.ndarray, items: np.ndarray) -> float:
        """The attack loss of these pairs at the held perturbation.

        Args:
            sess: The model's session.
            users: int ``[M]`` user ids.
            items: int ``[M]`` their positive items.

        Returns:
            ``sum over pairs of mean over items j of softplus(s(u, j) - s(u, i))``.
        """
        return float(sess.run(self._loss, self._pair_feed(users, items)))

    def step(self, sess: tf.Session, step_size: float, eps: float) -> None:
        """Move every item's perturbation along its normalised accumulated gradient,
        project it onto the ball of radius ``eps``, and clear the gradient.

        Args:
            sess: The model's session.
            step_size: Length of the step.
            eps: Radius of the per-item L2 ball.
        """
        sess.run(self._step, {self._step_size: step_size, self._eps: eps})

    def hold(self, sess: tf.Session, perturbation: Optional[np.ndarray]) -> None:
        """Hold a perturbation (zero for None) and clear the gradient.

        Args:
            sess: The model's session.
            perturbation: ``[N, F]`` values, or None.

        Raises:
            ShapeError: The perturbation does not have the features' shape.
        """
        if perturbation is None:
            sess.run(self._clear)
            return
        value = np.asarray(perturbation, np.float32)
        if value.shape != self.shape:
            raise ShapeError(scoped(self.scope, f'a perturbation must have the feature matrix\'s shape '
                                                f'{self.shape}, got {value.shape}.'))
        sess.run(self._hold, {self._held: value})

    def value(self, sess: tf.Session) -> np.ndarray:
        """The held perturbation.

        Args:
            sess: The model's session.

        Returns:
            ``[N, F]`` float32 array.
        """
        return sess.run(self.delta)
