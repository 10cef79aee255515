"""AMR: Adversarial Multimedia Recommendation.

Tang, Du, He, Yuan, Tian and Chua, "Adversarial Training Towards Robust Multimedia
Recommender System", IEEE TKDE 2019 (arXiv 1809.07062). A VBPR model (He and
McAuley, AAAI 2016) whose training loss, for the last ``adversarial_epochs`` epochs,
adds ``l_adv`` times the BPR loss under an FGSM perturbation of the item features:

    L_AMR = L_BPR(f) + l_adv * L_BPR(f + delta_adv),
    delta_adv,i = eps * g_i / ||g_i||,  g = dL_BPR/d f at zero perturbation (per item).

The clean / FGSM / MSAP robustness evaluation (MSAP after Anelli et al., FLAIRS 2021)
is :class:`~openrec2.trainer.adversarial_evaluation.AdversarialEvaluation`.
"""

from __future__ import annotations

from typing import Dict, Mapping, Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules import fgsm_perturbation
from openrec2.recommenders.vbpr import VBPR
from openrec2.validation import check_bool, check_int, check_non_negative


class AMR(VBPR):
    """VBPR with adversarial training on the item features (FGSM, per-item L2 ball).

    Two objectives: ``'bpr'`` (the VBPR loss) and ``'adversarial'`` (the VBPR loss plus
    ``l_adv`` times the BPR loss of the same batch with FGSM-perturbed features; the
    perturbation is a constant for the optimiser). Each objective has its own
    optimiser state. :meth:`default_schedule` is the one-way schedule
    :class:`~openrec2.ModelTrainer` follows: ``'bpr'`` for the first ``epochs -
    adversarial_epochs`` epochs, then ``'adversarial'`` (for as long as training goes
    on; early stopping watches only this phase).

    The training FGSM perturbs the batch's positive and negative items (the original
    AMR); ``perturb_negative=False`` perturbs the positives only (as Elliot does). A
    batch's gradients of rows holding the same item are summed before the per-item
    normalisation, so each item of the batch moves by exactly ``eps`` (unless its
    gradient is zero).

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        item_features: ``[max_item, F]`` numpy array or h5py dataset of item features.
        l_adv: Weight of the adversarial term.
        adversarial_epochs: Number of final epochs trained adversarially (``<= epochs``;
            default two thirds of ``epochs``, i.e. 20 of the default 30).
        perturb_negative: Perturb the negative items' features too.
        **kwargs: The other arguments of :class:`~openrec2.recommenders.vbpr.VBPR`
            (``factors``, ``factors_d``, ``lr``, ``l_w``, ``l_b``, ``l_e``, ``eps``,
            ``eps_iter``, ``nb_iter``, ``epochs``, ...).

    Raises:
        SettingError: ``l_adv`` < 0 or ``adversarial_epochs`` outside ``[0, epochs]``;
            and the errors of VBPR.
    """

    objective_names = ("bpr", "adversarial")
    schedule_cycles = False

    def __init__(self, batch_size: int, max_user: int, max_item: int, item_features, l_adv: float = 0.3,
                 adversarial_epochs: Optional[int] = None, perturb_negative: bool = True, **kwargs):
        name = kwargs.get("scope") or "amr"
        epochs = check_int(kwargs.get("epochs", 30), "epochs", name)
        self.l_adv = check_non_negative(l_adv, "l_adv", name)
        self.adversarial_epochs = check_int(round(2 * epochs / 3) if adversarial_epochs is None
                                            else adversarial_epochs, "adversarial_epochs", name, minimum=0,
                                            maximum=epochs)
        self.perturb_negative = check_bool(perturb_negative, "perturb_negative", name)
        kwargs.setdefault("epochs", epochs)
        super().__init__(batch_size, max_user, max_item, item_features, **kwargs)

    def _build_default_interactions(self, train=True):
        super()._build_default_interactions(train)
        if not train:
            return
        clean_loss = self._get_module("interaction", True).get_loss()
        if self.perturb_negative:
            ids = tf.concat([self._get_input("p_item_id"), self._get_input("n_item_id")], axis=0)
            delta = fgsm_perturbation(clean_loss, self._feature_rows, ids, self.eps)
        else:
            delta = tf.concat([fgsm_perturbation(clean_loss, self._positive_rows, self._get_input("p_item_id"),
                                                 self.eps),
                               tf.zeros_like(self._negative_rows)], axis=0)
        self._training_perturbation = delta
        visual_vec, visual_bias = self._get_module("visual", True).project(self._feature_rows + delta)
        adversarial = self._add_module("adversarial_interaction", self._pairwise_interaction(
            visual_vec, visual_bias, "adversarial_interaction"), train_loss=False)
        self._add_loss(self.l_adv * adversarial.get_loss(), "adversarial")

    def inspect_adversarial_batch(self, batch: Mapping[str, np.ndarray]) -> Dict[str, np.ndarray]:
        """The training FGSM perturbation of a batch and the BPR losses around it (no update).

        Args:
            batch: ``{'user_id', 'p_item_id', 'n_item_id'}`` int arrays of length ``B``.

        Returns:
            ``perturbation``: ``[2B, F]`` perturbation of the feature rows (positives
            then negatives; negatives are zero when ``perturb_negative`` is off);
            ``bpr_loss``: the batch's BPR loss (no regularisation) on clean features;
            ``adversarial_bpr_loss``: the same under the perturbation.

        Raises:
            MissingInputError / DTypeError / ShapeError: a bad batch.
        """
        fetches = {"perturbation": self._training_perturbation,
                   "bpr_loss": self._get_module("interaction", True).get_loss(),
                   "adversarial_bpr_loss": self._get_module("adversarial_interaction", True).get_loss()}
        return self.sess.run(fetches, self._feed_dict(batch, ["user_id", "p_item_id", "n_item_id"], train=True))

    def default_schedule(self, batches_per_epoch: Mapping[str, int]) -> list:
        """``'bpr'`` for ``epochs - adversarial_epochs`` epochs, then ``'adversarial'``.

        The schedule is one-way (:attr:`schedule_cycles` is False): the adversarial phase
        goes on for as long as training does.

        Args:
            batches_per_epoch: ``{objective: batches per epoch}`` of the training sampler.

        Returns:
            ``[('bpr', iterations), ('adversarial', iterations)]``, empty phases left out.
        """
        phases = [("bpr", (self.epochs - self.adversarial_epochs) * batches_per_epoch["bpr"]),
                  ("adversarial", self.adversarial_epochs * batches_per_epoch["adversarial"])]
        return [(name, count) for name, count in phases if count > 0]
