"""DLRM: the deep learning recommendation model for click-through-rate prediction.

Naumov, Mudigere, Shi, Huang, Sundaraman, Park, Wang, Gupta, Wu, Azzolini, Dzhulgakov,
Mallevich, Cherniavskii, Lu, Krishnamoorthi, Yu, Kondratenko, Pereira, Chen, Chen, Rao,
Jia, Xiong and Smelyanskiy, "Deep Learning Recommendation Model for Personalization and
Recommendation Systems", arXiv:1906.00091, 2019.

An example has dense features and categorical ones. The dense features go through the
bottom MLP (ReLU layers ``ln_bot``, the last of width ``m_spa``); every categorical
feature has its own embedding table of width ``m_spa``. With
``arch_interaction_op='dot'`` the ``C + 1`` vectors interact through the dot products of
all their pairs (:class:`~openrec2.modules.interactions.SecondOrderFeatureInteraction`);
those, next to the bottom MLP's output, feed the top MLP (ReLU layers ``ln_top``, then one
logit). ``'cat'`` feeds the concatenated vectors instead (the paper's ablation). Loss:
sigmoid cross-entropy on the 0/1 label; serving returns the click probability.
"""

from __future__ import annotations

from typing import Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, scoped
from openrec2.modules.extractions import LatentFactor, MultiLayerFC
from openrec2.modules.interactions import PointwiseMLPCE, SecondOrderFeatureInteraction
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_bool, check_choice, check_int, check_int_list

#: Ways the feature vectors meet before the top MLP.
INTERACTION_OPS = ('dot', 'cat')
#: Serving inputs (the keys of :class:`~openrec2.utils.samplers.CTRSampler` batches, less the label).
FEATURE_INPUTS = ('dense_features', 'sparse_features')


class DLRM(Recommender):
    """Deep learning recommendation model (dense bottom MLP, embeddings, pairwise dots, top MLP).

    Training inputs (as :class:`~openrec2.utils.samplers.CTRSampler` yields them):
    ``dense_features`` float32 ``[B, num_dense_features]``, ``sparse_features`` int32
    ``[B, len(ln_emb)]`` (column ``j`` in ``[0, ln_emb[j])``) and ``label`` float32
    ``[B]``. Serving: :meth:`serve` with the two feature inputs returns the click
    probability of every row ``[B]``.

    Args:
        batch_size: Training batch size (rows).
        max_user: Number of users (bookkeeping; the user id is a categorical feature
            like any other when it is one).
        max_item: Number of items (likewise).
        ln_emb: Number of ids (rows of the embedding table) of each categorical feature.
        num_dense_features: Number of dense features.
        m_spa: Width of every embedding and of the bottom MLP's output.
        ln_bot: Widths of the bottom MLP's layers (all ReLU); with ``'dot'`` the last
            must be ``m_spa``.
        ln_top: Hidden widths of the top MLP (ReLU); a final layer of width 1 gives the logit.
        arch_interaction_op: ``'dot'`` (pairwise dot products) or ``'cat'`` (concatenation).
        arch_interaction_itself: With ``'dot'``, also the dot product of each vector with itself.
        test_batch_size: Rows per serving call in chunked serving.
        l2_reg: L2 weight on the looked-up embedding rows and on the MLP weights.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.

    Raises:
        SettingError: A size that is not a positive integer, an empty ``ln_emb`` /
            ``ln_bot``, a ``'dot'`` model whose ``ln_bot[-1]`` is not ``m_spa``, or an
            unknown ``arch_interaction_op``.
    """

    def __init__(self, batch_size: int, max_user: int, max_item: int, ln_emb: Sequence[int],
                 num_dense_features: int, m_spa: int = 16, ln_bot: Sequence[int] = (64, 16),
                 ln_top: Sequence[int] = (64, 32), arch_interaction_op: str = 'dot', arch_interaction_itself: bool = False,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None, opt='Adam',
                 lr: Optional[float] = None, init_dict=None, sess_config=None, seed: Optional[int] = None):
        scope = 'dlrm'
        self._m_spa = check_int(m_spa, 'm_spa', scope)
        self._ln_emb = check_int_list(ln_emb, 'ln_emb', scope)
        self._ln_bot = check_int_list(ln_bot, 'ln_bot', scope)
        self._ln_top = check_int_list(ln_top, 'ln_top', scope, allow_empty=True)
        self._num_dense = check_int(num_dense_features, 'num_dense_features', scope)
        self._op = check_choice(arch_interaction_op, 'arch_interaction_op', scope, INTERACTION_OPS)
        self._itself = check_bool(arch_interaction_itself, 'arch_interaction_itself', scope)
        if self._op == 'dot' and self._ln_bot[-1] != self._m_spa:
            raise SettingError(scoped(scope, (
                f'the bottom MLP must end at the embedding width for dot products: ln_bot[-1] = '
                f'{self._ln_bot[-1]} but m_spa = {self._m_spa}; set ln_bot to e.g. '
                f'{self._ln_bot[:-1] + [self._m_spa]}.')))
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)

    # ------------------------------------------------------------------ inputs
    def _build_extra_inputs(self, train: bool = True) -> None:
        self._add_input('dense_features', 'float32', [None, self._num_dense], train=train)
        self._add_input('sparse_features', 'int32', [None, len(self._ln_emb)], train=train,
                        max_value=max(self._ln_emb))
        if train:
            self._add_input('label', 'float32', [None], train=train)

    # ------------------------------------------------------------------ bottom MLP and embeddings
    def _build_extra_extractions(self, train: bool = True) -> None:
        bottom = self._add_module('bottom_mlp', MultiLayerFC(
            self._get_input('dense_features', train), self._ln_bot, relu_mid=True, relu_out=True,
            l2_reg=self._l2_reg, train=train, scope='bottom_mlp'), train=train)
        self._bottom = bottom.get_outputs()[0]
        ids = self._get_input('sparse_features', train)
        self._embeddings = [self._add_module(f'embedding{j}', LatentFactor(
            [rows, self._m_spa], ids=ids[:, j], l2_reg=self._l2_reg, scope=f'embedding{j}'),
            train=train).get_outputs()[0] for j, rows in enumerate(self._ln_emb)]

    # ------------------------------------------------------------------ interaction and top MLP
    def _build_default_interactions(self, train: bool = True) -> None:
        if self._op == 'dot':
            interaction = self._add_module('interaction', SecondOrderFeatureInteraction(
                [self._bottom] + self._embeddings, self_interaction=self._itself, train=train,
                scope='interaction'), train=train)
            crossed = interaction.get_outputs()[0]
        else:
            crossed = tf.concat(self._embeddings, axis=1)
        top = self._add_module('top_mlp', PointwiseMLPCE(
            self._bottom, crossed, self._ln_top + [1], l2_reg=self._l2_reg,
            labels=self._get_input('label') if train else None, train=train, batch_serving=False,
            scope='top_mlp'), train=train)
        if not train:
            self._set_serving_output(top.get_outputs()[0], FEATURE_INPUTS)

    # ------------------------------------------------------------------ accessors
    @property
    def ln_emb(self) -> list:
        """Ids of each categorical feature."""
        return list(self._ln_emb)

    @property
    def arch_interaction_op(self) -> str:
        """``'dot'`` or ``'cat'``."""
        return self._op
