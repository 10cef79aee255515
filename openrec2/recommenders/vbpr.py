"""VBPR: Visual Bayesian Personalized Ranking.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016. The score of user ``u`` for item ``i`` with feature vector ``f_i`` is

    s(u, i) = b_i + <p_u, q_i> + <theta_u, E f_i> + <beta', f_i>

trained with the BPR loss (Rendle et al., UAI 2009). The serving graph reads the item
features through a perturbation the evaluation attacks drive (clean, FGSM and MSAP
rankings: :class:`~openrec2.trainer.adversarial_evaluation.AdversarialEvaluation`, after
Tang et al., TKDE 2019, and Anelli et al., FLAIRS 2021);
:class:`~openrec2.recommenders.amr.AMR` adds the adversarial training term.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules import check_attack_settings, default_eps_iter
from openrec2.modules.extractions import LatentFactor, LookUp, VisualProjection
from openrec2.modules.interactions import PairwiseLog
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.recommender import Recommender
from openrec2.utils.item_features import load_item_features  # noqa: F401  (old import path)
from openrec2.validation import check_int, check_non_negative


class VBPR(IdInputs, Recommender):
    """Visual BPR on item feature vectors.

    Training inputs: ``user_id``, ``p_item_id``, ``n_item_id`` (int32 ``[B]``), as
    :class:`~openrec2.utils.samplers.PairwiseSampler` yields them; one objective,
    ``'bpr'``. Serving: ``user_id`` alone scores every item (``[B, max_item]``);
    ``user_id`` + ``item_id`` scores those pairs (``[B]``); ``perturbed=True`` scores
    under the held feature perturbation of an evaluation attack.

    Loss of a batch: ``sum softplus(s(u, j) - s(u, i))`` plus ``l_w * l2_loss`` of the
    looked-up latent rows (``p_u``, ``theta_u``, ``q_i``, ``q_j``), ``l_b * l2_loss`` of
    the looked-up item biases, and ``l_e * (l2_loss(E) + l2_loss(beta'))``.

    The item features are stored in a non-trainable variable (saved with the model).
    A matrix over 64 MB is fed when the variable is initialised rather than stored in
    the graph, so TensorFlow's 2 GB graph limit does not apply to it.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        item_features: ``[max_item, F]`` numpy array or h5py dataset of item features.
        factors: Size of ``p_u`` and ``q_i``.
        factors_d: Size of ``theta_u`` and of the projection ``E f_i``.
        lr: Adam learning rate.
        l_w: L2 weight on latent rows.
        l_b: L2 weight on item biases.
        l_e: L2 weight on ``E`` and ``beta'``.
        eps: Radius of the per-item L2 ball of the attacks (the default budget of
            :class:`~openrec2.trainer.adversarial_evaluation.AdversarialEvaluation`;
            AMR's training perturbation too).
        eps_iter: MSAP step size (default ``2.5 * eps / nb_iter``).
        nb_iter: MSAP number of steps.
        epochs: Training epochs of :meth:`fit` (and, for AMR, of its schedule).
        test_batch_size: Users per serving call.
        opt: Optimiser name.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.
        scope: Variable scope of the model.

    Raises:
        ShapeError: a feature matrix that is not ``[max_item, F]``.
        DataError: non-finite features.
        SettingError: a hyper-parameter out of range.
    """

    #: Objectives every module loss joins.
    objective_names: Sequence[str] = ("bpr",)
    training_sampler = "PairwiseSampler"

    def __init__(self, batch_size: int, max_user: int, max_item: int, item_features,
                 factors: int = 64, factors_d: int = 20, lr: float = 0.001, l_w: float = 0.01,
                 l_b: float = 0.0, l_e: float = 0.01, eps: float = 0.5, eps_iter: Optional[float] = None,
                 nb_iter: int = 5, epochs: int = 30, test_batch_size: Optional[int] = None, opt: str = "Adam",
                 init_dict=None, sess_config=None, seed: Optional[int] = None, scope: Optional[str] = None):
        name = scope or type(self).__name__.lower()
        self.factors = check_int(factors, "factors", name)
        self.factors_d = check_int(factors_d, "factors_d", name)
        self.epochs = check_int(epochs, "epochs", name)
        self.l_w, self.l_b, self.l_e = (check_non_negative(value, what, name)
                                        for what, value in (("l_w", l_w), ("l_b", l_b), ("l_e", l_e)))
        check_attack_settings(eps, 1.0 if eps_iter is None else eps_iter, nb_iter, scope=name)
        self.eps, self.nb_iter = float(eps), int(nb_iter)
        self.eps_iter = default_eps_iter(eps, nb_iter) if eps_iter is None else float(eps_iter)
        self._item_features = load_item_features(item_features, check_int(max_item, "max_item", name), name)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed, scope=scope)

    # ================================================================ graph build
    def _register(self, name: str, module, train: bool):
        """Register a module whose loss joins every objective of the model."""
        return self._add_module(name, module, train_loss=list(self.objective_names), train=train)

    def _build_user_extractions(self, train=True):
        user_id = self._get_input("user_id", train)
        self._register("user_vec", LatentFactor([self._max_user, self.factors], ids=user_id,
                                                l2_reg=self.l_w, scope="user"), train)
        self._register("user_visual", LatentFactor([self._max_user, self.factors_d], ids=user_id,
                                                   l2_reg=self.l_w, scope="user_visual"), train)

    def _build_item_extractions(self, train=True):
        features = self._register("item_features", LookUp(self._item_features, scope="item_features"),
                                  train).get_outputs()[0]
        if not train:  # serving: whole tables, features through the evaluation attacks' perturbation
            features = self._perturbable_item_features(features)
            self._register("item_vec", LatentFactor([self._max_item, self.factors], l2_reg=self.l_w,
                                                    scope="item"), train)
            self._register("item_bias", LatentFactor([self._max_item, 1], init="zero", l2_reg=self.l_b,
                                                     scope="item_bias"), train)
            self._register("visual", VisualProjection(features, self.factors_d, l2_reg=self.l_e), train)
            return
        for index, role in enumerate(("p_item", "n_item")):
            ids = self._get_input(f"{role}_id")
            self._register(f"{role}_vec", LatentFactor([self._max_item, self.factors], ids=ids, l2_reg=self.l_w,
                                                       scope="item", reuse=index > 0), train)
            self._register(f"{role}_bias", LatentFactor([self._max_item, 1], init="zero", ids=ids,
                                                        l2_reg=self.l_b, scope="item_bias", reuse=index > 0), train)
        # Feature rows of the batch: positives then negatives (the rows FGSM perturbs).
        self._positive_rows = tf.gather(features, self._get_input("p_item_id"))
        self._negative_rows = tf.gather(features, self._get_input("n_item_id"))
        self._feature_rows = tf.concat([self._positive_rows, self._negative_rows], axis=0)
        self._register("visual", VisualProjection(self._feature_rows, self.factors_d, l2_reg=self.l_e), train)

    def _user_representation(self, train: bool) -> tf.Tensor:
        """``[p_u, theta_u]`` of the batch's users."""
        return tf.concat([self._output("user_vec", train), self._output("user_visual", train)], axis=1)

    def _pairwise_interaction(self, visual_vec: tf.Tensor, visual_bias: tf.Tensor, scope: str) -> PairwiseLog:
        """BPR loss of the batch given the visual parts of its positive-then-negative rows."""
        batch = tf.shape(self._get_input("user_id"))[0]
        visual_vec = (visual_vec[:batch], visual_vec[batch:])
        visual_bias = (visual_bias[:batch], visual_bias[batch:])
        items = [tf.concat([self._output(f"{role}_vec", True), visual_vec[k]], axis=1)
                 for k, role in enumerate(("p_item", "n_item"))]
        biases = [self._output(f"{role}_bias", True) + visual_bias[k] for k, role in enumerate(("p_item", "n_item"))]
        return PairwiseLog(user=self._user_representation(True), p_item=items[0], p_item_bias=biases[0],
                           n_item=items[1], n_item_bias=biases[1], scope=scope)

    def _build_default_interactions(self, train=True):
        if train:
            visual_vec, visual_bias = self._get_module("visual", True).get_outputs()
            self._register("interaction", self._pairwise_interaction(visual_vec, visual_bias, "interaction"), True)
            return
        user = self._user_representation(False)
        visual = self._get_module("visual", False)
        visual_vec, visual_bias = visual.get_outputs()
        items = tf.concat([self._output("item_vec", False), visual_vec], axis=1)
        biases = self._output("item_bias", False) + visual_bias
        self._serving_tables = {"user_factors": (user, "user_id"), "item_factors": (items, None),
                                "item_bias": (biases, None), "projected_item_features": (visual_vec, None)}
        item_id = self._get_input("item_id", False)
        all_items = PairwiseLog(user=user, item=items, item_bias=biases, train=False, scope="interaction")
        pairs = PairwiseLog(user=user, p_item=tf.gather(items, item_id), p_item_bias=tf.gather(biases, item_id),
                            train=False, scope="interaction_pairs")
        self._add_module("interaction", all_items, train=False)
        self._add_module("interaction_pairs", pairs, train=False)
        self._serve_item_scores(all_items, pairs)

    def embedding_tensors(self):
        """``[p_u, theta_u]`` by user, ``[q_i, E f_i]`` and ``beta_i + beta' f_i`` of every item, and
        the visual projection ``E f_i`` (``projected_item_features``)."""
        return dict(self._serving_tables)

    # ================================================================= accessors
    @property
    def item_features(self):
        """The ``[max_item, F]`` item feature matrix (a copy)."""
        return self._item_features.copy()
