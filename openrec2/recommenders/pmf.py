"""PMF: Probabilistic Matrix Factorization.

Salakhutdinov and Mnih, "Probabilistic Matrix Factorization", NIPS 2007; the
confidence-weighted squared loss follows Hu, Koren and Volinsky, "Collaborative
Filtering for Implicit Feedback Datasets", ICDM 2008. Scores ``<p_u, q_i> + b_i``
regressed onto labels (ratings, or 1/0 for sampled positives/negatives).
"""

from __future__ import annotations

from openrec2.modules.interactions import PointwiseMSE
from openrec2.recommenders.matrix_factorization import MatrixFactorization
from openrec2.validation import check_bool, check_non_negative


class PMF(MatrixFactorization):
    """Matrix factorisation trained with a weighted squared error.

    Training inputs: ``user_id``, ``item_id`` (int32 ``[B]``) and ``label`` (float32
    ``[B]``), as the pointwise samplers yield them. Serving as for BPR.

    The argument order is legacy OpenRec's, ``(batch_size, dim_embed, max_user,
    max_item, ...)``, so a legacy positional call means what it meant there.

    Args:
        batch_size: Training batch size.
        dim_embed: Size of the latent factors.
        max_user: Number of users.
        max_item: Number of items.
        test_batch_size: Users per serving call in evaluation.
        l2_reg: L2 weight on the looked-up factors and biases.
        opt: Optimiser name.
        sess_config: Session configuration.
        a: Confidence of positive labels.
        b: Confidence of zero labels.
        sigmoid: Squash predictions into (0, 1).
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.
    """

    training_sampler = "StratifiedPointwiseSampler"
    training_item_inputs = ["item_id"]

    def __init__(self, batch_size, dim_embed, max_user, max_item, test_batch_size=None, l2_reg=None, opt="Adam",
                 sess_config=None, a=1.0, b=1.0, sigmoid=False, lr=None, init_dict=None, seed=None):
        scope = type(self).__name__.lower()
        self._a, self._b = (check_non_negative(value, name, scope) for name, value in (("a", a), ("b", b)))
        self._sigmoid = check_bool(sigmoid, "sigmoid", scope)
        super().__init__(batch_size, max_user, max_item, dim_embed=dim_embed,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr,
                         init_dict=init_dict, sess_config=sess_config, seed=seed)

    def _build_extra_inputs(self, train=True):
        if train:
            self._add_input("label", "float32", [None], train=True)

    def _pointwise(self, user, item, item_bias, train: bool, all_items: bool = False, scope=None):
        """The pointwise interaction (PMF's weighted squared error); ``all_items``: serve every item."""
        return PointwiseMSE(user=user, item=item, item_bias=item_bias, labels=self._get_input("label") if train
                            else None, a=self._a, b=self._b, sigmoid=self._sigmoid, train=train,
                            batch_serving=all_items, scope=scope)

    def _build_training_interaction(self):
        item, item_bias = self._training_item("item_id")
        self._add_module("interaction", self._pointwise(self._user(True), item, item_bias, train=True))

    def _scoring_interaction(self, user, item, item_bias, all_items, scope):
        return self._pointwise(user, item, item_bias, train=False, all_items=all_items, scope=scope)
