"""VBPR: Visual Bayesian Personalized Ranking, with adversarial evaluation of item features.

He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback",
AAAI 2016. The score of user ``u`` for item ``i`` with feature vector ``f_i`` is

    s(u, i) = b_i + <p_u, q_i> + <theta_u, E f_i> + <beta', f_i>

trained with the BPR loss (Rendle et al., UAI 2009). The robustness evaluation (clean
features versus FGSM and MSAP perturbations of every item's features) follows Tang et
al., "Adversarial Training Towards Robust Multimedia Recommender System" (TKDE 2019,
arXiv 1809.07062) and Anelli et al., "Multi-Step Adversarial Perturbations on
Recommender Systems Embeddings" (FLAIRS 2021); :class:`~openrec2.recommenders.amr.AMR`
adds the adversarial training term.
"""

from __future__ import annotations

import math
import os
from typing import Dict, List, Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import DataError, NaNLossError, ShapeError, UnknownOptionError, scoped
from openrec2.modules.adversarial_perturbation import (check_attack_settings, default_eps_iter,
                                                       projected_step)
from openrec2.modules.extractions.latent_factor import LatentFactor
from openrec2.modules.extractions.look_up import LookUp
from openrec2.modules.extractions.visual_projection import VisualProjection
from openrec2.modules.interactions.pairwise_log import PairwiseLog
from openrec2.modules.interactions.scoring import all_item_scores, pair_scores
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.recommender import Recommender
from openrec2.utils.dataset import Dataset
from openrec2.utils.evaluators import HitRatio, NDCG, MetricResults, evaluate_with_scorer
from openrec2.utils.samplers import EvaluationSampler, PairwiseSampler

#: Names of the evaluation settings, in the order results and TSV columns list them.
ATTACKS = ("clean", "fgsm", "msap")

#: Largest ``pairs x items`` score block the evaluation attack builds at once.
ATTACK_SCORE_BUDGET = 1 << 22


def load_item_features(item_features, max_item: int, scope: str) -> np.ndarray:
    """Read an item feature matrix (numpy array or h5py dataset) and check it.

    Args:
        item_features: ``[max_item, F]`` array-like (an ``h5py.Dataset`` is read whole).
        max_item: Number of items.
        scope: Scope of the model, for messages.

    Returns:
        A float32 ``[max_item, F]`` array.

    Raises:
        ShapeError: the matrix is not ``[max_item, F]`` with ``F >= 1``.
        DataError: it holds NaN or infinite values.
    """
    features = np.asarray(item_features[()] if hasattr(item_features, "id") else item_features,
                          dtype=np.float32)
    if features.ndim != 2 or features.shape[0] != max_item or features.shape[1] < 1:
        raise ShapeError(scoped(scope, (
            f"`item_features` must be a [max_item={max_item}, F] matrix (one row per item id), "
            f"got shape {features.shape}.")))
    if not np.isfinite(features).all():
        raise DataError(scoped(scope, "`item_features` holds NaN or infinite values; clean them first."))
    return features


class VBPR(IdInputs, Recommender):
    """Visual BPR on item feature vectors, with clean / FGSM / MSAP evaluation.

    Training inputs: ``user_id``, ``p_item_id``, ``n_item_id`` (int32 ``[B]``), as
    :class:`~openrec2.utils.samplers.PairwiseSampler` yields them; one objective,
    ``'bpr'``. Serving: ``user_id`` alone scores every item (``[B, max_item]``);
    ``user_id`` + ``item_id`` scores those pairs (``[B]``).

    Loss of a batch: ``sum softplus(s(u, j) - s(u, i))`` plus ``l_w * l2_loss`` of the
    looked-up latent rows (``p_u``, ``theta_u``, ``q_i``, ``q_j``), ``l_b * l2_loss`` of
    the looked-up item biases, and ``l_e * (l2_loss(E) + l2_loss(beta'))``.

    The item features are stored in a non-trainable variable (saved with the model).
    A matrix over 64 MB is fed when the variable is initialised rather than stored in
    the graph, so TensorFlow's 2 GB graph limit does not apply to it.

    **Evaluation attack** (:meth:`attack_perturbation`, :meth:`evaluate_under_attack`).
    The attacker perturbs every item's features, ``f_i + delta_i`` with ``||delta_i||_2
    <= eps`` (one L2 ball per item), to increase the expected BPR loss of the training
    interactions under uniform negatives, computed exactly rather than sampled::

        L(delta) = sum over training pairs (u, i) of  mean over all items j of
                   softplus(s(u, j) - s(u, i))

    so ``delta_i`` follows item ``i``'s terms as a positive and as a negative. FGSM:
    ``delta_i = eps * g_i / ||g_i||`` with ``g = dL/d delta`` at ``delta = 0``. MSAP:
    from zero, ``nb_iter`` steps of ``eps_iter`` along ``g_i / ||g_i||``, each projected
    back onto the per-item L2 ball of radius ``eps``. Every attack starts from zero
    and is a deterministic function of the model and the training pairs (it never
    replays the training stream); serving is never perturbed.

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
        eps: Radius of the per-item L2 ball of the attacks.
        eps_iter: MSAP step size (default ``2.5 * eps / nb_iter``).
        nb_iter: MSAP number of steps.
        epochs: Training epochs of :meth:`fit`.
        eval_perturbations: Evaluations in :meth:`fit` (and trainers honouring this flag)
            report clean, FGSM and MSAP metrics side by side.
        test_batch_size: Users per serving call.
        opt: Optimiser name.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.
        scope: Variable scope of the model.

    Raises:
        ShapeError: bad sizes or feature matrix.
        DataError: non-finite features.
        UnknownOptionError: a hyper-parameter out of range.
    """

    #: Objectives every module loss joins.
    objective_names: Sequence[str] = ("bpr",)

    def __init__(self, batch_size: int, max_user: int, max_item: int, item_features,
                 factors: int = 64, factors_d: int = 20, lr: float = 0.001, l_w: float = 0.01,
                 l_b: float = 0.0, l_e: float = 0.01, eps: float = 0.5, eps_iter: Optional[float] = None,
                 nb_iter: int = 5, epochs: int = 30, eval_perturbations: bool = True,
                 test_batch_size: Optional[int] = None, opt: str = "Adam", init_dict=None,
                 sess_config=None, seed: Optional[int] = None, scope: Optional[str] = None):
        name = scope or type(self).__name__.lower()
        for what, value in (("factors", factors), ("factors_d", factors_d), ("epochs", epochs)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise UnknownOptionError(scoped(name, f"`{what}` must be a positive integer, got {value!r}."))
        for what, value in (("l_w", l_w), ("l_b", l_b), ("l_e", l_e)):
            if not float(value) >= 0.0:
                raise UnknownOptionError(scoped(name, f"`{what}` must be >= 0, got {value!r}."))
        check_attack_settings(eps, 1.0 if eps_iter is None else eps_iter, nb_iter, scope=name)
        eps_iter = default_eps_iter(eps, nb_iter) if eps_iter is None else eps_iter
        self._item_features = load_item_features(item_features, max_item, name)
        self.factors, self.factors_d = int(factors), int(factors_d)
        self.l_w, self.l_b, self.l_e = float(l_w), float(l_b), float(l_e)
        self.eps, self.eps_iter, self.nb_iter = float(eps), float(eps_iter), int(nb_iter)
        self.epochs = int(epochs)
        self.eval_perturbations = bool(eval_perturbations)
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
        if not train:  # serving: whole tables
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

    def _build_extra_extractions(self, train=True):
        if train:  # state of the evaluation attack (made here: serving cannot create variables)
            shape = list(self._item_features.shape)
            with tf.variable_scope("attack"):
                self._attack_delta = tf.get_variable("perturbation", shape, trainable=False,
                                                     initializer=tf.zeros_initializer())
                self._attack_gradient = tf.get_variable("gradient", shape, trainable=False,
                                                        initializer=tf.zeros_initializer())

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
        item_id = self._get_input("item_id", False)
        all_items = PairwiseLog(user=user, item=items, item_bias=biases, train=False, scope="interaction")
        pairs = PairwiseLog(user=user, p_item=tf.gather(items, item_id), p_item_bias=tf.gather(biases, item_id),
                            train=False, scope="interaction_pairs")
        self._add_module("interaction", all_items, train=False)
        self._add_module("interaction_pairs", pairs, train=False)
        self._serve_item_scores(all_items, pairs)
        self._build_attack_ops(user, visual)

    def _build_attack_ops(self, user: tf.Tensor, visual: VisualProjection) -> None:
        """Ops of the evaluation attack over all items (see the class docstring)."""
        with tf.name_scope("attack"):
            delta = tf.identity(self._attack_delta)  # gradients are taken w.r.t. this read
            features = self._get_module("item_features", False).get_outputs()[0]
            visual_vec, visual_bias = visual.project(features + delta)
            items = tf.concat([self._output("item_vec", False), visual_vec], axis=1)
            biases = self._output("item_bias", False) + visual_bias
            self._attacked_scores = all_item_scores(user, items, biases)

            self._attack_users = tf.placeholder(tf.int32, [None], name="attack_user_id")
            self._attack_items = tf.placeholder(tf.int32, [None], name="attack_item_id")
            users = tf.concat([tf.gather(self._get_module(name, False).embedding, self._attack_users)
                               for name in ("user_vec", "user_visual")], axis=1)
            positive = pair_scores(users, tf.gather(items, self._attack_items), tf.gather(biases, self._attack_items))
            scores = all_item_scores(users, items, biases)
            self._attack_loss = tf.reduce_sum(tf.reduce_mean(tf.nn.softplus(scores - positive[:, None]), axis=1))
            self._accumulate_gradient = self._attack_gradient.assign_add(
                tf.gradients(self._attack_loss, delta)[0]).op

            self._attack_step_size = tf.placeholder(tf.float32, [], name="attack_step_size")
            stepped = projected_step(self._attack_delta, self._attack_gradient, self._attack_step_size, self.eps)
            with tf.control_dependencies([self._attack_delta.assign(stepped)]):
                self._attack_step = self._attack_gradient.assign(tf.zeros_like(self._attack_gradient)).op
            self._held_perturbation = tf.placeholder(tf.float32, self._item_features.shape, name="held_perturbation")
            clear_gradient = self._attack_gradient.assign(tf.zeros_like(self._attack_gradient)).op
            with tf.control_dependencies([self._attack_delta.assign(self._held_perturbation)]):
                self._hold_perturbation = tf.group(clear_gradient)
            # Zero perturbation without feeding a [max_item, F] array of zeros from Python.
            self._clear_attack = tf.group(clear_gradient, self._attack_delta.assign(tf.zeros_like(self._attack_delta)))

    # ========================================================== attack / evaluation
    @property
    def item_features(self) -> np.ndarray:
        """The ``[max_item, F]`` item feature matrix (a copy)."""
        return self._item_features.copy()

    def _hold(self, perturbation: Optional[np.ndarray]) -> None:
        """Hold a perturbation (zero when None) for the attack ops; clear the gradient."""
        if perturbation is None:
            self.sess.run(self._clear_attack)
            return
        value = np.asarray(perturbation, np.float32)
        if value.shape != self._item_features.shape:
            raise ShapeError(scoped(self._scope, (
                f"a perturbation must have the feature matrix's shape {self._item_features.shape}, "
                f"got {value.shape}.")))
        self.sess.run(self._hold_perturbation, {self._held_perturbation: value})

    def _pair_chunks(self, train: Dataset):
        """Feeds of the attack loss: the training pairs in blocks within the score budget."""
        users, items = train.positive_pairs()
        if users.size == 0:
            raise DataError(scoped(self._scope, "the attack needs training interactions; the dataset has none."))
        size = max(1, ATTACK_SCORE_BUDGET // self._max_item)
        for start in range(0, users.size, size):
            yield {self._attack_users: users[start:start + size].astype(np.int32),
                   self._attack_items: items[start:start + size].astype(np.int32)}

    def _attack_settings(self, attack: str) -> List[float]:
        """Step sizes of an attack (empty for clean)."""
        steps = {"clean": [], "fgsm": [self.eps], "msap": [self.eps_iter] * self.nb_iter}
        if attack not in steps:
            raise UnknownOptionError(scoped(self._scope, f"unknown attack {attack!r}; valid: {list(ATTACKS)}."))
        return steps[attack]

    def _run_attack(self, train: Dataset, attack: str) -> None:
        """Compute an attack from zero and leave it held in the attack variable."""
        steps = self._attack_settings(attack)
        chunks = list(self._pair_chunks(train))
        self._hold(None)
        for step_size in steps:
            for feed in chunks:
                self.sess.run(self._accumulate_gradient, feed)
            self.sess.run(self._attack_step, {self._attack_step_size: step_size})

    def attack_perturbation(self, train: Dataset, attack: str = "fgsm") -> np.ndarray:
        """The evaluation perturbation of every item's features (see the class docstring).

        Args:
            train: The training interactions (their expected BPR loss is attacked).
            attack: ``'fgsm'``, ``'msap'`` (or ``'clean'``, all zeros).

        Returns:
            ``[max_item, F]`` float32 perturbation; row ``i`` has L2 norm ``<= eps``
            (exactly ``eps`` for FGSM when the item's gradient is not zero).

        Raises:
            UnknownOptionError: unknown attack.
            DataError: ``train`` has no interaction.
        """
        try:
            self._run_attack(train, attack)
            return self.sess.run(self._attack_delta)
        finally:
            self._hold(None)

    def attack_loss(self, train: Dataset, perturbation: Optional[np.ndarray] = None) -> float:
        """The loss the evaluation attack increases, at a given perturbation.

        Args:
            train: The training interactions.
            perturbation: ``[max_item, F]`` added to the item features (None: zero).

        Returns:
            ``sum over training pairs (u, i) of mean over items j of softplus(s(u, j) -
            s(u, i))``.

        Raises:
            ShapeError: the perturbation has the wrong shape.
        """
        try:
            self._hold(perturbation)
            return float(sum(self.sess.run(self._attack_loss, feed) for feed in self._pair_chunks(train)))
        finally:
            self._hold(None)

    def _held_scores(self, batch: dict) -> np.ndarray:
        """``[B, max_item]`` scores of a user batch under the held perturbation."""
        return self.sess.run(self._attacked_scores, self._feed_dict(batch, ["user_id"], train=False))

    def evaluate_under_attack(self, train: Dataset, test: Dataset, excluded: Sequence[Dataset] = (),
                              evaluators=None, attacks: Sequence[str] = ATTACKS,
                              tsv_path: Optional[str] = None, epoch: Optional[int] = None) -> Dict[str, MetricResults]:
        """Full-ranking metrics on clean features and under each attack, side by side.

        Every test user ranks all items minus its training items (and those of
        ``excluded``). Each attack is computed from zero on ``train`` (class docstring).

        Args:
            train: Training interactions (attacked loss, and excluded from the ranking).
            test: Test interactions.
            excluded: Further datasets whose items leave the ranking (e.g. validation).
            evaluators: Ranking evaluators (default HitRatio@10 and NDCG@10).
            attacks: Settings to evaluate, among ``'clean'``, ``'fgsm'``, ``'msap'``.
            tsv_path: If given, append one row per metric (``epoch, metric, <attack>...,
                <attack>_change``) to this TSV file (header written when it is new).
            epoch: Epoch number for the TSV (empty when None).

        Returns:
            ``{attack: MetricResults}``.

        Raises:
            UnknownOptionError: unknown attack.
        """
        for attack in attacks:
            self._attack_settings(attack)
        evaluators = evaluators or [HitRatio(10), NDCG(10)]
        ranking = EvaluationSampler(test, self._test_batch_size, [train, *excluded])
        results: Dict[str, MetricResults] = {}
        try:
            for attack in attacks:
                self._run_attack(train, attack)
                results[attack] = evaluate_with_scorer(self._held_scores, ranking, evaluators)
        finally:
            self._hold(None)
        if tsv_path is not None:
            write_attack_tsv(tsv_path, results, epoch)
        return results

    # ================================================================= training
    def objective_for_epoch(self, epoch: int, epochs: Optional[int] = None) -> str:
        """The objective to train in a given epoch (VBPR: always ``'bpr'``).

        Args:
            epoch: 0-based epoch index.
            epochs: Total epochs (default :attr:`epochs`).

        Returns:
            An objective name for :meth:`train`.
        """
        return "bpr"

    def fit(self, train: Dataset, epochs: Optional[int] = None, test: Optional[Dataset] = None,
            excluded: Sequence[Dataset] = (), eval_every: Optional[int] = None, tsv_path: Optional[str] = None,
            seed: int = 0, evaluators=None) -> List[dict]:
        """Train for ``epochs`` passes over ``train``, objective per :meth:`objective_for_epoch`.

        One epoch is ``ceil(#positives / batch_size)`` steps of a
        :class:`~openrec2.utils.samplers.PairwiseSampler` (shuffled passes over all
        positives, uniform negatives). With ``test``, the model is evaluated every
        ``eval_every`` epochs and after the last one: clean, FGSM and MSAP when
        :attr:`eval_perturbations` is set, else clean only.

        Args:
            train: Training interactions.
            epochs: Number of epochs (default :attr:`epochs`).
            test: Evaluation interactions, or None.
            excluded: Further datasets excluded from the ranking.
            eval_every: Evaluate every that many epochs (None: only at the end).
            tsv_path: TSV file the evaluations append to.
            seed: Seed of the training sampler.
            evaluators: Ranking evaluators of the evaluations.

        Returns:
            One dict per epoch: ``epoch``, ``objective``, ``loss`` (mean per step) and,
            after an evaluation, ``metrics`` (``{attack: MetricResults}``).

        Raises:
            NaNLossError: the loss became NaN or infinite.
        """
        epochs = self.epochs if epochs is None else int(epochs)
        steps = math.ceil(train.num_positives / self._batch_size)
        attacks = ATTACKS if self.eval_perturbations else ("clean",)
        history = []
        with PairwiseSampler(train, batch_size=self._batch_size, seed=seed) as sampler:
            for epoch in range(epochs):
                objective = self.objective_for_epoch(epoch, epochs)
                loss = float(np.mean([self.train(next(sampler), objective) for _ in range(steps)]))
                if not math.isfinite(loss):
                    raise NaNLossError(scoped(self._scope, (
                        f"epoch {epoch + 1}: the {objective!r} loss is {loss}; lower `lr` or raise the "
                        "regularisation.")))
                record = {"epoch": epoch + 1, "objective": objective, "loss": loss}
                if test is not None and (epoch + 1 == epochs or (eval_every and (epoch + 1) % eval_every == 0)):
                    record["metrics"] = self.evaluate_under_attack(train, test, excluded, evaluators, attacks,
                                                                   tsv_path, epoch + 1)
                history.append(record)
        return history


def write_attack_tsv(path: str, results: Dict[str, MetricResults], epoch: Optional[int] = None) -> None:
    """Append clean / attacked metrics side by side to a TSV file.

    Columns: ``epoch``, ``metric``, one column per setting, then ``<attack>_change``
    (relative change from clean) per attack when ``'clean'`` is among them. The header
    is written when the file is new.

    Args:
        path: TSV file.
        results: ``{setting: MetricResults}`` as :meth:`VBPR.evaluate_under_attack` returns.
        epoch: Epoch number (empty cell when None).
    """
    settings = list(results)
    changed = [s for s in settings if s != "clean"] if "clean" in results else []
    header = ["epoch", "metric"] + settings + [f"{s}_change" for s in changed]
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", encoding="utf-8") as handle:
        if new:
            handle.write("\t".join(header) + "\n")
        for metric in results[settings[0]]:
            values = [results[s][metric] for s in settings]
            clean = results["clean"][metric] if changed else None
            changes = [(results[s][metric] - clean) / clean if clean else float("nan") for s in changed]
            cells = ["" if epoch is None else str(epoch), metric] + [f"{v:.6f}" for v in values + changes]
            handle.write("\t".join(cells) + "\n")
