"""VanillaYouTubeRec: next-item candidate generation from the watch history alone.

Covington, Adams and Sargin, "Deep Neural Networks for YouTube Recommendations",
RecSys 2016 (the candidate generation network, history input only). The items of a
user's history are embedded and averaged over the history's real length (padding
never counts); a ReLU tower maps the average to a user vector, and a softmax over all
items predicts the next item (sampled softmax in training, all items in serving; see
:class:`~openrec2.modules.interactions.MLPSoftmax`). :class:`~openrec2.recommenders.YouTubeRec`
adds the user's side features and the history's item side features.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import tensorflow.compat.v1 as tf

from openrec2.modules.extractions import LatentFactor
from openrec2.modules.fusions import Concat, SequenceAverage
from openrec2.modules.interactions import MLPSoftmax
from openrec2.recommenders.recommender import Recommender
from openrec2.validation import check_int, check_int_list, check_non_negative, check_probability

#: History inputs (the batch keys of the YouTube samplers).
HISTORY_INPUTS = ('item_seq', 'item_seq_len')


class VanillaYouTubeRec(Recommender):
    """Average of the history's item embeddings -> ReLU tower -> softmax over all items.

    Training inputs (as :class:`~openrec2.utils.samplers.YouTubeSampler` yields them):
    ``item_seq`` int32 ``[B, max_seq_len]`` (oldest first, left-aligned, padded after
    ``item_seq_len``), ``item_seq_len`` int32 ``[B]`` and ``item_id`` int32 ``[B]``, the
    next item. Serving: ``item_seq`` + ``item_seq_len`` score every item (``[B,
    max_item]``); with ``item_id`` too, those (history, item) pairs (``[B]``).

    Args:
        batch_size: Training batch size.
        max_user: Number of users (user ids are no input of this model).
        max_item: Number of items.
        dim_item_embed: Width of the history's item embeddings.
        max_seq_len: History length of the inputs (the latest items are kept).
        dims: Widths of the ReLU tower; the last is the size of the user vector and of
            the softmax item embeddings (default ``[dim_item_embed]``).
        softmax_samples: Items sampled per training step for the sampled softmax (None:
            full softmax in training too).
        l2_reg_embed: L2 weight on the looked-up history embeddings (default ``l2_reg``).
        l2_reg_mlp: L2 weight on the tower's weights (default ``l2_reg``).
        dropout: Drop probability after each tower layer (training only).
        test_batch_size: Rows per serving call in evaluation.
        l2_reg: Default of ``l2_reg_embed`` and ``l2_reg_mlp``.
        opt: Optimiser name.
        lr: Learning rate.
        init_dict: Initial values by variable name.
        sess_config: Session configuration.
        seed: Graph-level seed.

    Raises:
        SettingError: A size that is not a positive integer, a negative L2 weight, a
            ``dropout`` outside ``[0, 1)`` or ``softmax_samples`` not below ``max_item``.
    """

    training_sampler = 'YouTubeSampler'
    #: Variable scope of the model (and prefix of its messages).
    model_scope = 'vanilla_youtube_rec'

    history_inputs = HISTORY_INPUTS

    def __init__(self, batch_size: int, max_user: int, max_item: int, dim_item_embed: int = 64,
                 max_seq_len: int = 20, dims: Optional[Sequence[int]] = None, softmax_samples: Optional[int] = 100,
                 l2_reg_embed: Optional[float] = None, l2_reg_mlp: Optional[float] = None,
                 dropout: Optional[float] = None, test_batch_size: Optional[int] = None,
                 l2_reg: Optional[float] = None, opt='Adam', lr: Optional[float] = None, init_dict=None,
                 sess_config=None, seed: Optional[int] = None):
        name = self.model_scope
        self._dim_item_embed = check_int(dim_item_embed, 'dim_item_embed', name)
        self._max_seq_len = check_int(max_seq_len, 'max_seq_len', name)
        self._dims = check_int_list(dims if dims is not None else [self._dim_item_embed], 'dims', name)
        self._softmax_samples = check_int(softmax_samples, 'softmax_samples', name, maximum=check_int(
            max_item, 'max_item', name) - 1, allow_none=True)
        l2_reg = check_non_negative(l2_reg, 'l2_reg', name, allow_none=True)
        self._l2_reg_embed = check_non_negative(l2_reg_embed, 'l2_reg_embed', name, allow_none=True)
        self._l2_reg_mlp = check_non_negative(l2_reg_mlp, 'l2_reg_mlp', name, allow_none=True)
        self._l2_reg_embed = l2_reg if self._l2_reg_embed is None else self._l2_reg_embed
        self._l2_reg_mlp = l2_reg if self._l2_reg_mlp is None else self._l2_reg_mlp
        self._dropout = check_probability(dropout, 'dropout', name)
        self._representation: dict = {}
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed, scope=name)

    # ------------------------------------------------------------------ inputs
    def _build_item_inputs(self, train: bool = True) -> None:
        if self.use_history:
            self._add_input('item_seq', 'int32', [None, self._max_seq_len], train=train, max_value=self._max_item)
            self._add_input('item_seq_len', 'int32', [None], train=train, max_value=self._max_seq_len + 1)
        # Training: the next item (the softmax label); serving: an optional item to score.
        self._add_input('item_id', 'int32', [None], train=train, max_value=self._max_item)

    # ------------------------------------------------------------------ history
    def _real_history_ids(self, train: bool):
        """The ids at the real (unpadded) history positions, and where they go back."""
        history = self._get_input('item_seq', train)
        real = tf.sequence_mask(self._get_input('item_seq_len', train), self._max_seq_len)
        return tf.boolean_mask(history, real), tf.where(real), tf.shape(history, out_type=tf.int64)

    def _history_average(self, name: str, rows_of, train: bool) -> tf.Tensor:
        """Average over each history's real items of ``rows_of(ids)`` (an ``[N, d]`` module).

        Only the real positions are looked up (so padding never reaches an embedding or
        its L2 penalty); they are scattered back to ``[B, L, d]`` with zero rows at the
        padding, then averaged over the real length.
        """
        ids, where, shape = self._real_history_ids(train)
        rows = self._add_module(name, rows_of(ids), train=train).get_outputs()[0]
        width = int(rows.shape[-1])
        steps = tf.scatter_nd(where, rows, tf.concat([shape, [width]], axis=0))
        steps.set_shape([None, self._max_seq_len, width])
        average = SequenceAverage(steps, self._get_input('item_seq_len', train), scope=f'{name}_average')
        return self._add_module(f'{name}_average', average, train=train).get_outputs()[0]

    def _build_item_extractions(self, train: bool = True) -> None:
        if self.use_history:
            self._representation['history'] = self._history_average('history_item', lambda ids: LatentFactor(
                [self._max_item, self._dim_item_embed], ids=ids, l2_reg=self._l2_reg_embed,
                scope='history_item'), train)

    # ------------------------------------------------------------------ head
    def _user_representation_parts(self) -> List[tf.Tensor]:
        """The vectors concatenated into the tower's input, in a fixed order."""
        return [self._representation['history']]

    def _serving_inputs(self) -> List[str]:
        """The serving inputs of the all-item scores."""
        return list(HISTORY_INPUTS)

    def _build_default_fusions(self, train: bool = True) -> None:
        self._add_module('user_representation', Concat(self._user_representation_parts(), scope='user_representation'),
                         train=train)

    def _build_default_interactions(self, train: bool = True) -> None:
        head = self._add_module('mlp_softmax', MLPSoftmax(
            self._output('user_representation', train), self._dims, self._max_item,
            labels=self._get_input('item_id', train) if train else None,
            item_ids=None if train else self._get_input('item_id', train), softmax_samples=self._softmax_samples,
            dropout=self._dropout, l2_reg=self._l2_reg_mlp, train=train, scope='mlp_softmax'), train=train)
        if not train:
            all_items, pairs = head.get_outputs()
            self._set_serving_output(all_items, self._serving_inputs())
            self._set_serving_output(pairs, self._serving_inputs() + ['item_id'])
        self._representation = {}

    # ------------------------------------------------------------------ properties
    def training_sampler_options(self) -> dict:
        """The history length of :class:`~openrec2.utils.samplers.YouTubeSampler`."""
        return {'max_seq_len': self._max_seq_len}

    @property
    def use_history(self) -> bool:
        """Whether the model reads the history (always, for this model)."""
        return True

    @property
    def max_seq_len(self) -> int:
        """History length of the inputs."""
        return self._max_seq_len

    @property
    def softmax_samples(self) -> Optional[int]:
        """Items sampled per training step (None: full softmax)."""
        return self._softmax_samples
