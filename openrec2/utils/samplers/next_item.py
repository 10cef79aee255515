"""Next-item examples from chronological histories: the training and evaluation
batches of the sequential recommenders (RNNRec, Hidasi et al., ICLR 2016) and of the
YouTube candidate generation models (Covington, Adams and Sargin, RecSys 2016).

An example is a target of a user's time-ordered sequence and the at most ``L`` items
before it (oldest first, left-aligned, padded with item 0), with the history's real
length (>= 1). The two model families name the same four arrays differently (after
their OpenRec originals): :data:`TEMPORAL_KEYS` and :data:`YOUTUBE_KEYS`. Negatives are
no part of a batch: the models' softmax draws them in the graph.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from openrec2.utils.samplers.sampler import Batch
from openrec2.utils.samplers.sequence_targets import SequenceTargetSampler
from openrec2.utils.sequences import BehaviourSequences


class NextItemKeys(NamedTuple):
    """Batch keys of the four arrays of a next-item example."""

    user: str
    history: str
    length: str
    target: str


#: Keys of RNNRec's batches (OpenRec's ``TemporalSampler``).
TEMPORAL_KEYS = NextItemKeys('user_id', 'seq_item_id', 'seq_len', 'label')
#: Keys of the YouTube models' batches (OpenRec's ``YouTubeSampler``).
YOUTUBE_KEYS = NextItemKeys('user_id', 'item_seq', 'item_seq_len', 'item_id')


def next_item_batch(sequences: BehaviourSequences, users: np.ndarray, positions: np.ndarray, max_seq_len: int,
                    keys: NextItemKeys = YOUTUBE_KEYS, with_target: bool = True) -> Batch:
    """The rows predicting the item at each (user, position) from the history before it.

    Args:
        sequences: The behaviour sequences.
        users: int array ``[n]`` of users.
        positions: int array ``[n]`` of target positions (the history ends before).
        max_seq_len: History length ``L`` (older behaviours are dropped).
        keys: Names of the arrays.
        with_target: Include the target item (evaluation batches leave it out: the
            model scores every item).

    Returns:
        int32 arrays: user ``[n]``, history ``[n, L]``, length ``[n]`` and (if
        ``with_target``) target ``[n]``, under ``keys``.
    """
    history, length = sequences.histories(users, positions, max_seq_len)
    batch = {keys.user: np.asarray(users, dtype=np.int32), keys.history: history.astype(np.int32),
             keys.length: length.astype(np.int32)}
    if with_target:
        batch[keys.target] = sequences.items_at(users, positions).astype(np.int32)
    return batch


def next_item_examples(sequences: BehaviourSequences, users: np.ndarray, positions: np.ndarray,
                       max_seq_len: int) -> Batch:
    """:func:`next_item_batch` with the YouTube models' keys (``user_id``, ``item_seq``,
    ``item_seq_len``, ``item_id``)."""
    return next_item_batch(sequences, users, positions, max_seq_len, YOUTUBE_KEYS)


class NextItemSampler(SequenceTargetSampler):
    """Endless stream of (history, next item) batches, one row per training target.

    Subclasses name the arrays with :attr:`keys`. Arguments and errors as
    :class:`~openrec2.utils.samplers.SequenceTargetSampler`.
    """

    #: Names of the batch arrays.
    keys: NextItemKeys = YOUTUBE_KEYS

    @property
    def max_seq_len(self) -> int:
        """History length of the batches."""
        return self.max_seq_length

    def _make_batch(self, index: int, rng: np.random.Generator) -> Batch:
        users, positions = self._batch_targets(index)
        return next_item_batch(self.sequences, users, positions, self.max_seq_length, self.keys)
