"""GMF: generalized matrix factorisation.

He, Liao, Zhang, Nie, Hu and Chua, "Neural Collaborative Filtering", WWW 2017 (the GMF
branch of NCF). The logit of a (user, item) pair is ``h . (p_u * q_i) + b_i`` with a
learned weight vector ``h``, trained with the sigmoid cross-entropy on sampled 1/0
labels.
"""

from __future__ import annotations

from openrec2.modules.interactions import PointwiseGeCE
from openrec2.recommenders.pmf import PMF


class GMF(PMF):
    """Matrix factorisation with a learned weighting of the factor product, cross-entropy loss.

    Training inputs: ``user_id``, ``item_id`` (int32 ``[B]``) and ``label`` (float32
    ``[B]`` in {0, 1}), as :class:`~openrec2.utils.samplers.StratifiedPointwiseSampler`
    yields them. Serving: ``user_id`` alone scores every item (logits ``[B,
    max_item]``), ``user_id`` + ``item_id`` those pairs.

    The argument order is legacy OpenRec's, ``(batch_size, dim_embed, max_user,
    max_item, ...)``.

    Args:
        batch_size: Training batch size.
        dim_embed: Size of the latent factors.
        max_user: Number of users.
        max_item: Number of items.
        test_batch_size: Users per serving call in evaluation.
        l2_reg: L2 weight on the looked-up factors, biases and ``h``.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed.
    """

    def __init__(self, batch_size, dim_embed, max_user, max_item, test_batch_size=None, l2_reg=None, opt="Adam",
                 sess_config=None, lr=None, init_dict=None, seed=None):
        super().__init__(batch_size=batch_size, dim_embed=dim_embed, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, sess_config=sess_config, lr=lr,
                         init_dict=init_dict, seed=seed)

    def _pointwise(self, user, item, item_bias, train, all_items=False, scope=None):
        return PointwiseGeCE(user=user, item=item, item_bias=item_bias, l2_reg=self._l2_reg,
                             labels=self._get_input("label") if train else None, train=train,
                             scope="interaction", reuse=not train, batch_serving=all_items)
