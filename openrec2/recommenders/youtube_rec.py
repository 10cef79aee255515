"""YouTubeRec: next-item candidate generation from the watch history and side features.

Covington, Adams and Sargin, "Deep Neural Networks for YouTube Recommendations",
RecSys 2016 (the candidate generation network). The tower's input concatenates the
average of the history's item embeddings (:class:`~openrec2.recommenders.VanillaYouTubeRec`),
the average over the history of its items' side features (genres, categories: each
item's features as the mean of their embeddings), and the user's own side features
(demographics, the paper's age, gender and geography embeddings). A ReLU tower and a
softmax over all items predict the next item. ``use_history=False`` is the
history-free variant: the same network on the user's side features alone.
"""

from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import tensorflow.compat.v1 as tf

from openrec2.errors import SettingError, scoped
from openrec2.modules.extractions import AttributeEmbedding
from openrec2.recommenders.vanilla_youtube_rec import VanillaYouTubeRec
from openrec2.utils.item_features import load_item_features
from openrec2.validation import check_bool, check_int


class YouTubeRec(VanillaYouTubeRec):
    """History average + history item features + user features -> ReLU tower -> softmax.

    Inputs: those of :class:`VanillaYouTubeRec` plus ``user_id`` int32 ``[B]`` (when the
    model has ``user_features``), whose feature row is looked up inside the graph.
    ``use_history=False`` drops ``item_seq`` / ``item_seq_len``: serving then needs
    ``user_id`` alone.

    Args:
        batch_size: Training batch size.
        max_user: Number of users.
        max_item: Number of items.
        user_features: Multi-hot numpy ``[max_user, F_u]`` (one-hot demographics), or None.
        item_features: Multi-hot numpy ``[max_item, F_i]`` (genres, attributes), or None.
        dim_item_embed: Width of the history's item and item-feature embeddings.
        dim_user_embed: Width of the user-feature embedding.
        max_seq_len: History length of the inputs.
        use_history: False builds the history-free variant (user features only).
        dims, softmax_samples, l2_reg_embed, l2_reg_mlp, dropout, test_batch_size, l2_reg,
            opt, lr, init_dict, sess_config, seed: As in :class:`VanillaYouTubeRec` (the
            embedding L2 also covers the feature embeddings).

    Raises:
        SettingError: ``use_history=False`` without ``user_features`` (nothing to
            recommend from), or a bad setting (see :class:`VanillaYouTubeRec`).
        ShapeError / DTypeError / DataError: A feature matrix of the wrong shape, not
            numeric or not finite.
    """

    model_scope = 'youtube_rec'

    def __init__(self, batch_size: int, max_user: int, max_item: int, user_features: Optional[np.ndarray] = None,
                 item_features: Optional[np.ndarray] = None, dim_item_embed: int = 64, dim_user_embed: int = 16,
                 max_seq_len: int = 20, use_history: bool = True, dims: Optional[Sequence[int]] = None,
                 softmax_samples: Optional[int] = 100, l2_reg_embed: Optional[float] = None,
                 l2_reg_mlp: Optional[float] = None, dropout: Optional[float] = None,
                 test_batch_size: Optional[int] = None, l2_reg: Optional[float] = None, opt='Adam',
                 lr: Optional[float] = None, init_dict=None, sess_config=None, seed: Optional[int] = None):
        scope = self.model_scope
        self._use_history = check_bool(use_history, 'use_history', scope)
        self._dim_user_embed = check_int(dim_user_embed, 'dim_user_embed', scope)
        self._user_features = None if user_features is None else load_item_features(
            user_features, check_int(max_user, 'max_user', scope), scope, 'user_features')
        self._item_features = None if item_features is None else load_item_features(
            item_features, check_int(max_item, 'max_item', scope), scope, 'item_features')
        if not self._use_history and self._user_features is None:
            raise SettingError(scoped(scope, 'use_history=False needs user_features: the history-free variant '
                                             'recommends from the user features alone.'))
        super().__init__(batch_size=batch_size, max_user=max_user, max_item=max_item, dim_item_embed=dim_item_embed,
                         max_seq_len=max_seq_len, dims=dims, softmax_samples=softmax_samples,
                         l2_reg_embed=l2_reg_embed, l2_reg_mlp=l2_reg_mlp, dropout=dropout,
                         test_batch_size=test_batch_size, l2_reg=l2_reg, opt=opt, lr=lr, init_dict=init_dict,
                         sess_config=sess_config, seed=seed)

    # ------------------------------------------------------------------ inputs
    def _build_user_inputs(self, train: bool = True) -> None:
        if self._user_features is not None:
            self._add_input('user_id', 'int32', [None], train=train, max_value=self._max_user)

    # ------------------------------------------------------------------ extractions
    def _build_user_extractions(self, train: bool = True) -> None:
        if self._user_features is not None:
            self._representation['user_features'] = self._add_module('user_features', AttributeEmbedding(
                self._user_features, self._dim_user_embed, ids=self._get_input('user_id', train),
                l2_reg=self._l2_reg_embed, scope='user_features'), train=train).get_outputs()[0]

    def _build_item_extractions(self, train: bool = True) -> None:
        super()._build_item_extractions(train)
        if self._use_history and self._item_features is not None:
            self._representation['history_features'] = self._history_average(
                'history_item_features', lambda ids: AttributeEmbedding(
                    self._item_features, self._dim_item_embed, ids=ids, l2_reg=self._l2_reg_embed,
                    scope='history_item_features'), train)

    def _user_representation_parts(self) -> List[tf.Tensor]:
        names = ('history', 'history_features', 'user_features')
        return [self._representation[name] for name in names if name in self._representation]

    def _serving_inputs(self) -> List[str]:
        return (super()._serving_inputs() if self._use_history else []) + (
            ['user_id'] if self._user_features is not None else [])

    # ------------------------------------------------------------------ properties
    @property
    def use_history(self) -> bool:
        """Whether the model reads the history (False: the history-free variant)."""
        return self._use_history

    @property
    def history_inputs(self):
        """The history inputs its export recommends from; None for the history-free
        variant, which serves by ``user_id`` like the matrix-factorisation models."""
        return super().history_inputs if self._use_history else None

    @property
    def has_user_features(self) -> bool:
        """Whether the model reads user side features."""
        return self._user_features is not None

    @property
    def has_item_features(self) -> bool:
        """Whether the model reads the history's item side features."""
        return self._item_features is not None
