"""DIEN: Deep Interest Evolution Network for click-through-rate prediction.

Zhou, Mou, Fan, Pi, Bian, Zhou, Zhu and Gai, "Deep Interest Evolution Network for
Click-Through Rate Prediction", AAAI 2019. An item is the concatenation of its id
embedding and its side-feature embedding (the mean of its attribute embeddings). A GRU
extracts an interest state after every behaviour (trained also by an auxiliary loss
that tells the next behaviour from a sampled one); target-aware attention over those
states drives a second, attentional GRU (``gru_type``) whose final state is the evolved
interest. An MLP head with Dice activations maps ``[target, mean history, target *
mean history, evolved interest]`` to a click probability. Loss: binary cross-entropy
on the label + ``alpha`` * auxiliary loss. ``use_history=False`` is the same network
without any history (the ablation): the head sees the target item alone.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import MissingInputError, scoped
from openrec2.modules.extractions import (
    GRU_TYPES,
    AttributeEmbedding,
    InterestEvolvingLayer,
    InterestExtractorNetwork,
    LatentFactor,
)
from openrec2.modules.interactions import CTRHead
from openrec2.recommenders.recommender import Recommender
from openrec2.utils.item_features import load_item_features
from openrec2.validation import (
    check_bool,
    check_choice,
    check_int,
    check_int_list,
    check_non_negative,
    check_probability,
)

#: Sequence inputs of the model (the behaviour-sequence samplers' batch keys).
SEQUENCE_INPUTS = ('item_seq', 'item_seq_len')


class DIEN(Recommender):
    """Deep Interest Evolution Network.

    Training inputs (as :class:`~openrec2.utils.samplers.sequence_sampler.SequenceSampler`
    yields them): ``item_seq`` int32 ``[B, max_seq_length]`` (oldest first, padded
    after ``item_seq_len``), ``item_seq_len`` int32 ``[B]``, ``neg_item_seq`` int32
    ``[B, max_seq_length]``, ``item_id`` int32 ``[B]`` (the target) and ``label``
    float32 ``[B]``. Serving: :meth:`serve` with ``item_seq``, ``item_seq_len`` and
    ``item_id`` (only ``item_id`` when ``use_history=False``) returns the click
    probability of every example ``[B]``; :meth:`predict` does it in chunks.

    Args:
        batch_size: Training batch size (rows).
        max_user: Number of users (user ids are not model inputs).
        max_item: Number of items.
        item_features: Optional multi-hot numpy ``[max_item, F]`` side-features; each
            item then gets the mean of its attribute embeddings concatenated to its id
            embedding.
        max_seq_length: History length ``L`` of the sequence inputs.
        embedding_size: Width of the id (and of the attribute) embeddings.
        mlp_hidden_size: Hidden widths of the MLP head.
        dropout_prob: Drop probability in the MLP head (training only).
        gru_type: Interest evolving GRU: ``'AUGRU'`` (default), ``'AGRU'``, ``'AIGRU'``
            or ``'GRU'``.
        alpha: Weight of the auxiliary loss (0 switches it off).
        use_history: False builds the history-free ablation.
        attention_mlp_size: Hidden widths of the attention MLP.
        test_batch_size: Rows per serving call in :meth:`predict`.
        l2_reg: L2 weight on the MLP head's weights.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.

    Raises:
        SettingError: Unknown ``gru_type``, a negative ``alpha`` or a bad size.
        ShapeError: ``item_features`` is not ``[max_item, F]``.
        DTypeError / DataError: ``item_features`` is not numeric or not finite.
    """

    def __init__(self, batch_size: int, max_user: int, max_item: int, item_features: Optional[np.ndarray] = None,
                 max_seq_length: int = 50, embedding_size: int = 10,
                 mlp_hidden_size: Sequence[int] = (256, 256, 256), dropout_prob: float = 0.0,
                 gru_type: str = 'AUGRU', alpha: float = 1.0, use_history: bool = True,
                 attention_mlp_size: Sequence[int] = (80, 40), test_batch_size: Optional[int] = None,
                 l2_reg: Optional[float] = None, opt='Adam', lr: Optional[float] = None, init_dict=None,
                 sess_config=None, seed: Optional[int] = None):
        scope = 'dien'
        self._gru_type = check_choice(gru_type, 'gru_type', scope, GRU_TYPES)
        self._alpha = check_non_negative(alpha, 'alpha', scope)
        self._max_seq_length = check_int(max_seq_length, 'max_seq_length', scope)
        self._embedding_size = check_int(embedding_size, 'embedding_size', scope)
        self._mlp_hidden_size = check_int_list(mlp_hidden_size, 'mlp_hidden_size', scope)
        self._attention_mlp_size = check_int_list(attention_mlp_size, 'attention_mlp_size', scope)
        self._dropout_prob = check_probability(dropout_prob, 'dropout_prob', scope)
        self._use_history = check_bool(use_history, 'use_history', scope)
        if item_features is not None:
            item_features = load_item_features(item_features, check_int(max_item, 'max_item', scope), scope)
        self._item_features = item_features
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)

    # ------------------------------------------------------------------ inputs
    def _build_item_inputs(self, train: bool = True) -> None:
        self._add_input('item_id', 'int32', [None], train=train, max_value=self._max_item)
        if self._use_history:
            length = self._max_seq_length
            self._add_input('item_seq', 'int32', [None, length], train=train, max_value=self._max_item)
            self._add_input('item_seq_len', 'int32', [None], train=train, max_value=length + 1)
            if train:
                self._add_input('neg_item_seq', 'int32', [None, length], train=train, max_value=self._max_item)

    def _build_extra_inputs(self, train: bool = True) -> None:
        if train:
            self._add_input('label', 'float32', [None], train=train)

    # ------------------------------------------------------------------ embeddings
    def _build_item_extractions(self, train: bool = True) -> None:
        # One gather over all item ids of the batch (sparse updates of the id table);
        # the rows are split back into target, history and negative history.
        names = ['item_id'] + (['item_seq'] + (['neg_item_seq'] if train else []) if self._use_history else [])
        inputs = [self._get_input(name, train) for name in names]
        ids = tf.concat([tf.reshape(one, [-1]) for one in inputs], axis=0)
        parts = [self._add_module('item_id_embedding', LatentFactor(
            [self._max_item, self._embedding_size], ids=ids, scope='item_id_embedding'), train=train)]
        if self._item_features is not None:
            parts.append(self._add_module('item_attribute_embedding', AttributeEmbedding(
                self._item_features, self._embedding_size, ids=ids, scope='item_attribute_embedding'), train=train))
        rows = tf.concat([part.get_outputs()[0] for part in parts], axis=1)
        width = int(rows.shape[-1])
        pieces = tf.split(rows, [tf.size(one) for one in inputs])
        self._embedded = {name: tf.reshape(piece, tf.concat([tf.shape(one), [width]], axis=0))
                          for name, piece, one in zip(names, pieces, inputs)}
        for name in names[1:]:
            self._embedded[name].set_shape([None, self._max_seq_length, width])
        self._embedded['item_id'].set_shape([None, width])

    # ------------------------------------------------------------------ interest layers
    def _build_extra_extractions(self, train: bool = True) -> None:
        if not self._use_history:
            return
        target = self._embedded['item_id']
        history = self._embedded['item_seq']
        length = self._get_input('item_seq_len', train)
        extractor = self._add_module('interest_extractor', InterestExtractorNetwork(
            history, length, hidden_size=int(target.shape[-1]),
            noclick_seq=self._embedded.get('neg_item_seq') if train else None, aux_weight=self._alpha,
            train=train, scope='interest_extractor'), train=train)
        evolving = self._add_module('interest_evolving', InterestEvolvingLayer(
            target, extractor.get_outputs()[0], length, gru_type=self._gru_type,
            attention_mlp_dims=self._attention_mlp_size, train=train, scope='interest_evolving'), train=train)
        real = tf.sequence_mask(length, self._max_seq_length, dtype=tf.float32)[:, :, None]
        history_mean = tf.reduce_sum(history * real, axis=1) / tf.maximum(tf.reduce_sum(real, axis=1), 1.0)
        self._history_features = [history_mean, target * history_mean, evolving.get_outputs()[0]]

    # ------------------------------------------------------------------ head
    def _build_default_interactions(self, train: bool = True) -> None:
        features = [self._embedded['item_id']] + (self._history_features if self._use_history else [])
        head = self._add_module('ctr_head', CTRHead(
            tf.concat(features, axis=1), self._mlp_hidden_size,
            labels=self._get_input('label') if train else None, dropout_prob=self._dropout_prob,
            l2_reg=self._l2_reg, train=train, scope='ctr_head'), train=train)
        if not train:
            inputs = ['item_id'] + (list(SEQUENCE_INPUTS) if self._use_history else [])
            self._set_serving_output(head.get_outputs()[0], inputs)

    # ------------------------------------------------------------------ serving
    def predict(self, batch: dict) -> np.ndarray:
        """Click probabilities of many examples, served ``test_batch_size`` rows at a time.

        Args:
            batch: Dict with ``item_id`` (and ``item_seq``, ``item_seq_len`` unless
                ``use_history=False``), all with the same number of rows; other keys
                are ignored.

        Returns:
            float32 ``[n]`` probabilities.

        Raises:
            MissingInputError: The batch lacks a needed input.
        """
        names = ['item_id'] + (list(SEQUENCE_INPUTS) if self._use_history else [])
        missing = [name for name in names if name not in batch]
        if missing:
            raise MissingInputError(scoped(self.scope, f'predict needs {names}; the batch lacks {missing}.'))
        return self.serve_in_chunks({name: batch[name] for name in names})

    @property
    def gru_type(self) -> str:
        """The interest evolving GRU type."""
        return self._gru_type

    @property
    def use_history(self) -> bool:
        """Whether the model reads the behaviour history."""
        return self._use_history

    @property
    def max_seq_length(self) -> int:
        """History length of the sequence inputs."""
        return self._max_seq_length
