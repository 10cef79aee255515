"""ItrMLP: pretrained embeddings that evolve through learned transition MLPs.

Legacy OpenRec's model for recommendation under drifting preferences, in the line of
temporal latent factors (Koren, "Collaborative Filtering with Temporal Dynamics", KDD
2009) with learned, shared transitions: user and item embeddings start from a
pretrained factorisation, a transition MLP per side maps an embedding to its current
state, ``MLP_u(e_u)`` and ``MLP_i(e_i)``, and the rating is ``sigmoid(<MLP_u(e_u),
MLP_i(e_i)> + b_i)`` fitted by squared error. Both MLPs are first trained to be the
identity; every ``update_itr`` steps the embeddings used since the last update move
one step forward, ``e <- MLP(e)`` (:class:`~openrec2.modules.extractions.TemporalLatentFactor`).
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.extractions import IDENTITY_PRETRAIN_STEPS, TemporalLatentFactor
from openrec2.recommenders.pmf import PMF
from openrec2.recommenders.pretrained import read_pretrained_tables
from openrec2.validation import check_int


class ItrMLP(PMF):
    """Squared error of ``sigmoid(<MLP_u(e_u), MLP_i(e_i)> + b_i)`` against labels in [0, 1].

    Training inputs as :class:`~openrec2.recommenders.PMF` (``user_id``, ``item_id``,
    ``label``: ratings scaled into [0, 1], or the 1/0 labels of a pointwise sampler).
    The stored embeddings are not trained by gradient descent; the MLPs and item biases
    are. Construction pre-trains each MLP to the identity (``identity_steps`` Adam
    steps, seeded by ``seed``).

    Args:
        batch_size: Training batch size.
        dim_embed: Size of the embeddings.
        max_user: Number of users.
        max_item: Number of items.
        pretrained_user_embeddings: ``[max_user, dim_embed]`` array (e.g. PMF's or BPR's
            user factors; :meth:`pretrained_keywords` reads them from a checkpoint).
        pretrained_item_embeddings: ``[max_item, dim_embed]`` array.
        user_dims: Widths of the user transition MLP (last = ``dim_embed``).
        item_dims: Widths of the item transition MLP (last = ``dim_embed``).
        test_batch_size: Users per serving call.
        l2_reg: L2 weight on the MLP weights and looked-up biases.
        opt: Optimiser name (``'Adam'``; legacy OpenRec defaulted to ``'SGD'``).
        sess_config: Session configuration.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        seed: Graph-level seed (and seed of the identity pre-training).
        update_itr: Steps between forward updates of the embeddings made by
            :class:`~openrec2.ModelTrainer` (None: only when
            :class:`~openrec2.ItrMLPModelTrainer` or the caller asks).
        identity_steps: Identity pre-training steps per MLP (0 skips it).

    Raises:
        ShapeError: embeddings or MLP widths that do not match ``dim_embed``.
    """

    def __init__(self, batch_size, dim_embed, max_user, max_item, pretrained_user_embeddings,
                 pretrained_item_embeddings, user_dims: Sequence[int], item_dims: Sequence[int], test_batch_size=None,
                 l2_reg=None, opt="Adam", sess_config=None, lr=None, init_dict=None, seed=None,
                 update_itr: Optional[int] = None, identity_steps=IDENTITY_PRETRAIN_STEPS):
        scope = type(self).__name__.lower()
        self._pretrained = {"user": pretrained_user_embeddings, "item": pretrained_item_embeddings}
        self._mlp_dims = {"user": user_dims, "item": item_dims}
        self._update_itr = check_int(update_itr, "update_itr", scope, allow_none=True)
        identity_steps = check_int(identity_steps, "identity_steps", scope, minimum=0)
        super().__init__(batch_size=batch_size, dim_embed=dim_embed, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, sess_config=sess_config,
                         sigmoid=True, lr=lr, init_dict=init_dict, seed=seed)
        if identity_steps:
            for side in ("user", "item"):
                self._get_module(f"{side}_vec").pretrain_mlp_as_identity(self.sess, steps=identity_steps,
                                                                         seed=self._seed or 0)

    def _latent_module(self, side, ids, train):
        rows = self._max_user if side == "user" else self._max_item
        if ids is None:  # serving every item: every row through the transition
            ids = tf.range(rows, dtype=tf.int32)
        return TemporalLatentFactor([rows, self._dim_embed], self._mlp_dims[side], ids,
                                    init=self._pretrained[side], l2_reg=self._l2_reg, train=train,
                                    mlp_pretrain=train, scope=side)

    def update_embeddings(self) -> None:
        """Move every user and item embedding used since the last update one step forward."""
        for side in ("user", "item"):
            self._get_module(f"{side}_vec").forward_update_embeddings(self.sess)

    def periodic_updates(self):
        return [(self._update_itr, self.update_embeddings)] if self._update_itr else []

    @staticmethod
    def pretrained_keywords(checkpoint: str, max_user: int, max_item: int, dim_embed: int) -> dict:
        """The embedding keywords from a checkpoint of a factorisation model (BPR, PMF, ...).

        Args:
            checkpoint: Checkpoint directory or prefix.
            max_user: Number of users.
            max_item: Number of items.
            dim_embed: Embedding size.

        Returns:
            ``{'pretrained_user_embeddings': ..., 'pretrained_item_embeddings': ...}``.

        Raises:
            CheckpointError / ShapeError: no such tables of that shape in the checkpoint.
        """
        tables = read_pretrained_tables(checkpoint, {"user/embedding": [max_user, dim_embed],
                                                     "item/embedding": [max_item, dim_embed]}, "itrmlp")
        return {"pretrained_user_embeddings": tables["user/embedding"],
                "pretrained_item_embeddings": tables["item/embedding"]}
