"""RNNRec: next-item recommendation with a recurrent network over the item history.

Hidasi, Karatzoglou, Baltrunas and Tikk, "Session-based Recommendations with Recurrent
Neural Networks", ICLR 2016 (GRU4Rec). Each item has an embedding; a GRU (or LSTM)
reads the embeddings of a user's latest ``max_seq_len`` items, oldest first, and a
softmax over all items on its state predicts the next item
(:class:`~openrec2.modules.interactions.RNNSoftmax`). The paper trains on session
mini-batches with ranking losses over in-batch negatives; this model follows the
original OpenRec ``RNNRec`` instead: examples are (history, next item) pairs drawn from
chronological user histories (:class:`~openrec2.utils.samplers.TemporalSampler`) and
the loss is the cross-entropy of the full softmax, or of a sampled softmax
(``softmax_samples``). ``loss_positions='all'`` also trains the prediction after every
earlier position of the history, as GRU4Rec predicts the next item at every step.

``use_history=False`` is the history-free variant: the same network whose history is
cut to nothing (the network runs no step), so its state is the fixed initial state and
its scores are the same learned item biases for everyone: a popularity model learned by
the same softmax on the same targets (it predicts the target only, whatever
``loss_positions`` says, as no earlier position exists for it).
"""

from __future__ import annotations

from typing import Optional

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.modules.extractions import LatentFactor
from openrec2.modules.interactions import RNN_CELL_TYPES, RNNSoftmax
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_bool, check_choice, check_int

#: Sequence inputs of the model (the temporal samplers' batch keys).
SEQUENCE_INPUTS = ('seq_item_id', 'seq_len')
#: Positions whose next item the training loss counts.
LOSS_POSITIONS = ('last', 'all')


class RNNRec(Recommender):
    """Recurrent next-item recommender.

    Training inputs (as :class:`~openrec2.utils.samplers.TemporalSampler` yields them):
    ``seq_item_id`` int32 ``[B, max_seq_len]`` (oldest first, padded after ``seq_len``),
    ``seq_len`` int32 ``[B]`` and ``label`` int32 ``[B]`` (the next item). Serving:
    :meth:`serve` with ``seq_item_id`` and ``seq_len`` returns ``[B, max_item]`` scores
    of every item as the next one after each history.

    Args:
        batch_size: Training batch size.
        max_user: Number of users (user ids are not model inputs).
        max_item: Number of items.
        dim_item_embed: Width of the item embeddings.
        max_seq_len: History length ``T`` of the inputs.
        num_units: Width of the recurrent state.
        cell_type: ``'gru'`` (default, as GRU4Rec) or ``'lstm'``.
        softmax_samples: None for the full softmax; else the number of uniformly sampled
            items of the sampled softmax.
        loss_positions: ``'last'``: the loss counts the next item after the whole
            history (the original OpenRec model); ``'all'``: after every real position.
        use_history: False builds the history-free variant (see the module docstring).
        test_batch_size: Histories per serving call in evaluation.
        l2_reg: L2 weight on the looked-up item embeddings and the softmax item rows.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.

    Raises:
        SettingError: A bad size, an unknown ``cell_type`` / ``loss_positions``, or
            ``softmax_samples`` not below ``max_item``.
    """

    training_sampler = 'TemporalSampler'

    history_inputs = SEQUENCE_INPUTS

    def __init__(self, batch_size: int, max_user: int, max_item: int, dim_item_embed: int = 50,
                 max_seq_len: int = 50, num_units: int = 64, cell_type: str = 'gru',
                 softmax_samples: Optional[int] = None, loss_positions: str = 'last', use_history: bool = True,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None, opt='Adam',
                 lr: Optional[float] = None, init_dict=None, sess_config=None, seed: Optional[int] = None):
        scope = 'rnn_rec'
        self._dim_item_embed = check_int(dim_item_embed, 'dim_item_embed', scope)
        self._max_seq_len = check_int(max_seq_len, 'max_seq_len', scope)
        self._num_units = check_int(num_units, 'num_units', scope)
        self._cell_type = check_choice(cell_type, 'cell_type', scope, RNN_CELL_TYPES)
        self._softmax_samples = check_int(softmax_samples, 'softmax_samples', scope,
                                          maximum=check_int(max_item, 'max_item', scope) - 1, allow_none=True)
        self._loss_positions = check_choice(loss_positions, 'loss_positions', scope, LOSS_POSITIONS)
        self._use_history = check_bool(use_history, 'use_history', scope)
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)

    # ------------------------------------------------------------------ inputs
    def _build_item_inputs(self, train: bool = True) -> None:
        self._add_input('seq_item_id', 'int32', [None, self._max_seq_len], train=train, max_value=self._max_item)
        self._add_input('seq_len', 'int32', [None], train=train, max_value=self._max_seq_len + 1)
        if train:
            self._add_input('label', 'int32', [None], train=train, max_value=self._max_item)

    # ------------------------------------------------------------------ embeddings
    def _build_item_extractions(self, train: bool = True) -> None:
        self._add_module('item_vec', LatentFactor(
            [self._max_item, self._dim_item_embed], ids=self._get_input('seq_item_id', train), l2_reg=self._l2_reg,
            scope='item'), train=train)

    # ------------------------------------------------------------------ softmax
    def _build_default_interactions(self, train: bool = True) -> None:
        items, lengths = self._output('item_vec', train), self._get_input('seq_len', train)
        if not self._use_history:  # no step at all: the state stays the initial one
            items, lengths = items[:, :0], tf.zeros_like(lengths)
        softmax = self._add_module('rnn_softmax', RNNSoftmax(
            items, self._max_item, lengths, self._num_units, cell_type=self._cell_type,
            softmax_samples=self._softmax_samples, label=self._training_labels(lengths) if train else None,
            train=train, l2_reg=self._l2_reg, scope='rnn_softmax'), train=train)
        if not train:
            self._set_serving_output(softmax.get_outputs()[0], SEQUENCE_INPUTS)

    def _training_labels(self, lengths: tf.Tensor) -> tf.Tensor:
        """The next items the loss counts: ``[B]`` after the history, or ``[B, T]`` after
        every position (the history shifted by one, the target after its last item)."""
        label = self._get_input('label', True)
        if self._loss_positions == 'last' or not self._use_history:
            return label
        history = self._get_input('seq_item_id', True)
        shifted = tf.concat([history[:, 1:], tf.zeros_like(history[:, :1])], axis=1)
        last = tf.equal(tf.range(self._max_seq_len)[None, :], (lengths - 1)[:, None])
        return tf.where(last, tf.tile(label[:, None], [1, self._max_seq_len]), shifted)

    # ------------------------------------------------------------------ serving
    def training_sampler_options(self) -> dict:
        """The history length the :class:`~openrec2.utils.samplers.TemporalSampler` needs."""
        return {'max_seq_len': self._max_seq_len}

    def recommend_next(self, batch: dict) -> np.ndarray:
        """Scores of every item as the next one, served ``test_batch_size`` histories at a time.

        Args:
            batch: Dict with ``seq_item_id`` and ``seq_len`` (other keys are ignored).

        Returns:
            float32 ``[n, max_item]`` scores.
        """
        return self.serve_in_chunks({name: batch[name] for name in SEQUENCE_INPUTS})

    @property
    def max_seq_len(self) -> int:
        """History length of the sequence inputs."""
        return self._max_seq_len

    @property
    def use_history(self) -> bool:
        """Whether the model reads the history (False: the history-free variant)."""
        return self._use_history

    @property
    def cell_type(self) -> str:
        """The recurrent cell type."""
        return self._cell_type
