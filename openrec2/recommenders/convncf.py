"""ConvNCF: Outer Product-based Neural Collaborative Filtering.

He, Du, Wang, Tian, Tang and Chua, "Outer Product-based Neural Collaborative
Filtering", IJCAI 2018. A (user, item) pair is scored by a CNN over the outer product
of their embeddings; training uses the BPR loss on (user, positive, negative)
triples, ideally starting from the embeddings of a trained MF-BPR model
(``train_method='after_pretrain'``), as the paper does. Parameter names and defaults
are RecBole's.
"""

from __future__ import annotations

from typing import Mapping, Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, UnknownOptionError, VariableSharingError, scoped
from openrec2.modules.extractions import LatentFactor
from openrec2.modules.interactions import DEFAULT_BLOCK_PAIRS, OuterProductCNN, ScorePairwiseLog, tower_sizes
from openrec2.modules.norm_penalty import norm_penalty
from openrec2.recommenders.id_inputs import IdInputs
from openrec2.recommenders.pretrained import read_pretrained_tables
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_choice, check_int, check_number_list, check_probability

TRAIN_METHODS = ("no_pretrain", "after_pretrain")
#: Names (under the model scope) of the embedding tables, as BPR names them too.
USER_TABLE, ITEM_TABLE = "user/embedding", "item/embedding"


class ConvNCF(IdInputs, Recommender):
    """ConvNCF with RecBole's hyper-parameters.

    Training inputs: ``user_id``, ``p_item_id``, ``n_item_id`` (int32 ``[B]``), as the
    pairwise samplers yield them. Loss per batch::

        sum_b softplus(s(u, n) - s(u, p))
          + reg_weights[0] * (||U_batch||_F + ||[P_batch; N_batch]||_F)
          + reg_weights[1] * (sum over conv kernels and prediction weights of ||W||_F)

    Norms are RecBole's (the Frobenius norm itself, not squared); unlike RecBole, which
    takes the norm of the whole embedding tables every step, the embedding term uses
    only the rows looked up in the batch (so gradients stay sparse). Biases are not
    penalised.

    Serving: ``user_id`` alone returns ``[B, max_item]`` scores of every item, computed
    through the CNN block by block inside the graph (``block_users`` x ``block_items``
    pairs at a time, with the first conv layer factorised, see
    :class:`~openrec2.modules.interactions.outer_product_cnn.OuterProductCNN`);
    ``user_id`` + ``item_id`` returns ``[B]`` scores of those pairs.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        embedding_size: Size of user/item embeddings (the map is
            ``embedding_size x embedding_size``).
        cnn_channels: Channels of the map (must be 1) and of each conv layer.
        cnn_kernels: Square kernel size of each conv layer.
        cnn_strides: Stride of each conv layer (VALID padding; sizes must reach 1x1).
        dropout_prob: Dropout before the prediction layer (training only).
        reg_weights: ``[embedding weight, conv/prediction weight]``.
        train_method: ``'no_pretrain'`` (random embeddings) or ``'after_pretrain'``
            (embeddings from ``pre_model_path``).
        pre_model_path: A checkpoint directory or prefix written by
            :meth:`openrec2.recommenders.BPR.save` whose ``dim_embed`` equals
            ``embedding_size`` (its item biases are not used).
        block_users: Users per block in all-item scoring.
        block_items: Items per block in all-item scoring.
        block_pairs: Pairs per block when serving (user, item) pairs.
        test_batch_size: Users per serving call in evaluation.
        l2_reg: Not used by ConvNCF (use ``reg_weights``); must be None.
        opt: Optimiser name (``'Adam'`` by default).
        lr: Learning rate.
        init_dict: Initial values by variable name (``'user/embedding'``, ...); may not
            name the tables that ``after_pretrain`` sets.
        sess_config: Session configuration.
        seed: Graph-level seed.

    Raises:
        SettingError: unknown ``train_method``, ``reg_weights`` not two numbers >= 0, a
            bad ``dropout_prob`` or block size.
        UnknownOptionError: ``l2_reg`` given.
        MissingInputError: ``after_pretrain`` without ``pre_model_path``.
        CheckpointError: no usable checkpoint at ``pre_model_path``.
        ShapeError: a CNN tower that does not reach 1x1 (names the layer and sizes), or
            pretrained tables of the wrong shape.
        VariableSharingError: ``init_dict`` and ``after_pretrain`` both set a table.
    """

    training_sampler = "PairwiseSampler"
    def __init__(self, batch_size: int, max_user: int, max_item: int, embedding_size: int = 64,
                 cnn_channels: Sequence[int] = (1, 32, 32, 32, 32),
                 cnn_kernels: Sequence[int] = (4, 4, 2, 2), cnn_strides: Sequence[int] = (4, 4, 2, 2),
                 dropout_prob: float = 0.2, reg_weights: Sequence[float] = (0.1, 0.1),
                 train_method: str = "no_pretrain", pre_model_path: Optional[str] = None,
                 block_users: int = 16, block_items: int = 16, block_pairs: int = DEFAULT_BLOCK_PAIRS,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None,
                 opt: str = "Adam", lr: Optional[float] = None,
                 init_dict: Optional[Mapping[str, np.ndarray]] = None,
                 sess_config: Optional[tf.ConfigProto] = None, seed: Optional[int] = None):
        scope = "conv_ncf"
        check_choice(train_method, "train_method", scope, TRAIN_METHODS)
        if l2_reg is not None:
            raise UnknownOptionError(scoped(scope, (
                "ConvNCF regularises with `reg_weights` [embeddings, conv/prediction]; leave l2_reg=None.")))
        self._reg_weights = check_number_list(reg_weights, "reg_weights", scope, minimum=0.0, length=2)
        self._embedding_size = check_int(embedding_size, "embedding_size", scope)
        tower_sizes(self._embedding_size, cnn_channels, cnn_kernels, cnn_strides, scope)  # fail early
        self._cnn = dict(cnn_channels=list(cnn_channels), cnn_kernels=list(cnn_kernels),
                         cnn_strides=list(cnn_strides))
        self._dropout_prob = check_probability(dropout_prob, "dropout_prob", scope)
        self._blocks = {name: check_int(value, name, scope) for name, value in (
            ("block_users", block_users), ("block_items", block_items), ("block_pairs", block_pairs))}
        self._train_method = train_method
        init_dict = dict(init_dict or {})
        if train_method == "after_pretrain":
            if not pre_model_path:
                raise MissingInputError(scoped(scope, (
                    "train_method='after_pretrain' needs `pre_model_path`, a checkpoint saved by BPR.save().")))
            pretrained = read_pretrained_tables(pre_model_path, {
                USER_TABLE: [max_user, self._embedding_size],
                ITEM_TABLE: [max_item, self._embedding_size]}, scope)
            clashes = [n for n in init_dict if n.split(":")[0].split(f"{scope}/")[-1] in pretrained]
            if clashes:
                raise VariableSharingError(scoped(scope, (
                    f"init_dict sets {clashes}, which after_pretrain loads from {pre_model_path!r}; "
                    "drop one of them.")))
            init_dict.update(pretrained)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=None, opt=opt, lr=lr,
                         init_dict=init_dict, sess_config=sess_config, seed=seed, scope=scope)

    # ------------------------------------------------------------------ inputs
    # ------------------------------------------------------------- extractions
    def _table(self, rows: int, ids, scope: str, reuse: bool = False) -> LatentFactor:
        return LatentFactor([rows, self._embedding_size], ids=ids, scope=scope, reuse=reuse)

    def _build_user_extractions(self, train=True):
        self._add_module("user_vec", self._table(self._max_user, self._get_input("user_id", train), "user"),
                         train_loss=False, train=train)

    def _build_item_extractions(self, train=True):
        if train:
            for index, name in enumerate(["p_item", "n_item"]):
                self._add_module(f"{name}_vec", self._table(
                    self._max_item, self._get_input(f"{name}_id"), "item", reuse=index > 0),
                    train_loss=False)
        else:
            self._add_module("item_vec", self._table(self._max_item, None, "item"), train=False)

    # ------------------------------------------------------------ interactions
    def _build_default_interactions(self, train=True):
        user = self._output("user_vec", train)
        if train:
            positive, negative = self._output("p_item_vec", True), self._output("n_item_vec", True)
            # Positive and negative pairs go through the CNN in one batch.
            cnn = self._add_module("cnn", OuterProductCNN(
                tf.concat([user, user], 0), tf.concat([positive, negative], 0), **self._cnn,
                dropout_prob=self._dropout_prob, weight_norm_reg=self._reg_weights[1], scope="cnn"))
            scores = cnn.get_outputs()[0]
            size = tf.shape(user)[0]
            self._add_module("interaction", ScorePairwiseLog(scores[:size], scores[size:]))
            if self._reg_weights[0]:
                self._add_loss(norm_penalty([user, tf.concat([positive, negative], 0)], self._reg_weights[0]))
            return
        items = self._output("item_vec", False)
        all_items = self._add_module("cnn", OuterProductCNN(
            user, items, **self._cnn, all_items=True, block_users=self._blocks["block_users"],
            block_items=self._blocks["block_items"], train=False, scope="cnn"), train=False)
        pairs = self._add_module("cnn_pairs", OuterProductCNN(
            user, tf.gather(items, self._get_input("item_id", False)), **self._cnn,
            block_pairs=self._blocks["block_pairs"], train=False, scope="cnn"), train=False)
        self._serve_item_scores(all_items, pairs)

    # --------------------------------------------------------------- accessors
    @staticmethod
    def pretrained_keywords(checkpoint: str, max_user: int, max_item: int, dim: int) -> dict:
        """Keywords that start a ConvNCF from a BPR checkpoint (used by the experiment runner).

        Args:
            checkpoint: BPR checkpoint directory or prefix.
            max_user: Number of users (checked when the tables are read).
            max_item: Number of items.
            dim: Embedding size.

        Returns:
            ``{'train_method': 'after_pretrain', 'pre_model_path': checkpoint}``.
        """
        return {"train_method": "after_pretrain", "pre_model_path": checkpoint}

    @property
    def embedding_size(self) -> int:
        """Size of the user and item embeddings."""
        return self._embedding_size

    @property
    def train_method(self) -> str:
        """``'no_pretrain'`` or ``'after_pretrain'``."""
        return self._train_method
